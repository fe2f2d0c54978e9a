/* Unit tests for control.c: command bytes, liveness probe, locks. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control.h"
#include "tap.h"

int main(void)
{
	char dir[] = "/tmp/rng-unit.XXXXXX", fifo[64], lock[64];
	int rd, fd1, fd2;
	char c;

	ok(control_signal('t') == SIGTERM && control_signal('k') == SIGKILL &&
	    control_signal('p') == SIGSTOP && control_signal('c') == SIGCONT &&
	    control_signal('1') == SIGUSR1 && control_signal('2') == SIGUSR2, "signal map");
	ok(control_signal('u') == 0 && control_signal('\n') == 0, "no signal for u, newline");
	ok(control_known('x') && !control_known('\n') && !control_known('z') && !control_known(0),
	    "known bytes");

	ok(mkdtemp(dir) != 0, "temp dir");
	snprintf(fifo, sizeof fifo, "%s/ok", dir);
	ok(mkfifo(fifo, 0600) == 0, "fifo");
	ok(supervise_alive(fifo) == 0, "no reader: not alive");
	ok(control_send(fifo, "x", 1) == -1 && errno == ENXIO, "send without reader: ENXIO");
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	ok(supervise_alive(fifo) == 1, "reader: alive");
	ok(control_send(fifo, "tcu", 3) == 0, "send with reader");
	ok(read(rd, &c, 1) == 1 && c == 't', "first byte arrives");
	close(rd);
	snprintf(lock, sizeof lock, "%s/nope/ok", dir);
	ok(supervise_alive(lock) == -1 && errno == ENOENT, "missing: can't tell");

	snprintf(lock, sizeof lock, "%s/lock", dir);
	fd1 = lock_open(lock);
	fd2 = lock_open(lock);
	ok(fd1 >= 0 && fd2 >= 0, "lock files open");
	ok(lock_take(fd1, 0) == 0, "first lock");
	ok(lock_take(fd2, 0) == -1 && errno == EAGAIN, "second lock: EAGAIN");
	close(fd1);
	ok(lock_take(fd2, 0) == 0, "lock after release");
	close(fd2);
	unlink(lock);
	unlink(fifo);
	rmdir(dir);
	return done_testing();
}
