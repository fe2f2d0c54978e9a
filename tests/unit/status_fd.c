/* Unit tests for status_read_fd: reading the record from an open descriptor, and what it leaves untouched on failure. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "status.h"
#include "tap.h"

int main(void)
{
	struct sv_status s = { 0 }, r;
	unsigned char b[STATUS_SIZE + 5] = { 0 };
	char path[] = "/tmp/status_fd.XXXXXX";
	int fd, dir;

	s.pid = 77;
	s.want = 'd';
	s.state = SV_FINISH;
	status_pack(b, &s);
	fd = mkstemp(path);
	ok(fd >= 0, "temporary file");
	ok(write(fd, b, STATUS_SIZE) == STATUS_SIZE, "record written");
	ok(lseek(fd, 0, SEEK_SET) == 0 && status_read_fd(fd, &r) == 0 &&
	    r.pid == 77 && r.want == 'd' && r.state == SV_FINISH, "20 bytes read back");
	r.pid = 12345;
	ok(write(fd, b, 5) == 5 && lseek(fd, 0, SEEK_SET) == 0 &&
	    status_read_fd(fd, &r) == 1 && r.pid == 12345, "25 bytes: bad format, record untouched");
	ok(ftruncate(fd, 19) == 0 && lseek(fd, 0, SEEK_SET) == 0 &&
	    status_read_fd(fd, &r) == 1 && r.pid == 12345, "19 bytes: bad format, record untouched");
	dir = open("/", O_RDONLY | O_DIRECTORY);
	ok(status_read_fd(dir, &r) == -1 && errno == EISDIR && r.pid == 12345,
	    "a directory: read error EISDIR, record untouched");
	close(dir);
	close(fd);
	unlink(path);
	return done_testing();
}
