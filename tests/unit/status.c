/* Unit tests for status.c: the 20-byte record and the stat line. */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include "status.h"
#include "tap.h"

int main(void)
{
	struct sv_status s = { 0 }, r;
	unsigned char b[STATUS_SIZE];
	char line[STAT_LINE_MAX + 1];
	size_t n;

	s.pid = 4987;
	s.want = status_want_byte(WANT_UP);
	s.state = SV_RUN;
	tain_from_unix(&s.stamp, 0x6b04db54 - 10, 0);
	status_pack(b, &s);
	is_mem(b + 12, "\x7b\x13\x00\x00\x00\x75\x00\x01", 8, "bytes 12-19 as observed for pid 4987");
	is_mem(b, "\x40\0\0\0\x6b\x04\xdb\x54", 8, "TAI64 seconds big-endian");
	status_unpack(b, &r);
	ok(r.pid == 4987 && r.want == 'u' && r.state == SV_RUN && r.stamp.sec == s.stamp.sec,
	    "unpack inverts pack");
	ok(status_want_byte(WANT_EXIT) == 'd', "want exit is recorded as d");

	n = status_stat_line(line, SV_RUN, 0, 0, WANT_UP);
	line[n] = 0;
	is_str(line, "run\n", "stat run");
	n = status_stat_line(line, SV_RUN, 1, 0, WANT_DOWN);
	line[n] = 0;
	is_str(line, "run, paused, want down\n", "stat paused want down");
	n = status_stat_line(line, SV_RUN, 0, 1, WANT_DOWN);
	line[n] = 0;
	is_str(line, "run, got TERM, want down\n", "stat got TERM");
	n = status_stat_line(line, SV_DOWN, 1, 0, WANT_DOWN);
	line[n] = 0;
	is_str(line, "down, paused\n", "no want suffix when down");
	n = status_stat_line(line, SV_FINISH, 1, 1, WANT_EXIT);
	line[n] = 0;
	is_str(line, "finish, paused, got TERM, want exit\n", "longest line");
	ok(n < STAT_LINE_MAX, "fits STAT_LINE_MAX");

	{
		char dir[] = "/tmp/rng-unit.XXXXXX";
		char path[64];
		ok(mkdtemp(dir) != 0, "temp dir");
		ok(status_replace(dir, "status", b, sizeof b) == 0, "status_replace writes");
		snprintf(path, sizeof path, "%s/status", dir);
		ok(status_read(path, &r) == 0 && r.pid == 4987, "status_read reads it back");
		ok(status_replace(dir, "status", b, 7) == 0 && status_read(path, &r) == 1,
		    "a 7-byte file is a bad format");
		{
			int dfd = open(dir, O_RDONLY | O_DIRECTORY);
			ok(status_replace_at(dfd, "status", b, sizeof b) == 0 &&
			    status_read(path, &r) == 0 && r.pid == 4987, "status_replace_at writes");
			ok(status_holds_at(dfd, "status", b, sizeof b) == 1, "status_holds_at: the same bytes");
			ok(status_holds_at(dfd, "status", b, sizeof b - 1) == 0, "status_holds_at: one byte fewer");
			b[19] ^= 1;
			ok(status_holds_at(dfd, "status", b, sizeof b) == 0, "status_holds_at: one byte differs");
			b[19] ^= 1;
			ok(status_holds_at(dfd, "nothing", "", 0) == 0, "status_holds_at: no file");
			ok(status_replace_at(dfd, "pid", "", 0) == 0 && status_holds_at(dfd, "pid", "", 0) == 1,
			    "status_holds_at: an empty pid file holds nothing");
			ok(symlinkat("pid", dfd, "link") == 0 && status_holds_at(dfd, "link", "", 0) == 0,
			    "status_holds_at: a symlink is never the same file");
			ok(mkfifoat(dfd, "fifo", 0600) == 0 && status_holds_at(dfd, "fifo", "", 0) == 0,
			    "status_holds_at: a FIFO neither blocks nor counts");
			unlinkat(dfd, "pid", 0);
			unlinkat(dfd, "link", 0);
			unlinkat(dfd, "fifo", 0);
			close(dfd);
		}
		unlink(path);
		ok(status_read(path, &r) == -1, "missing file is an error");
		rmdir(dir);
	}
	return done_testing();
}
