/* Unit tests for notify.c: notification-fd, the readiness pipe, sd_notify datagrams, the socket and the sender check. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "io.h"
#include "notify.h"
#include "tap.h"

static char dir[] = "/tmp/rng-notify.XXXXXX";
static int dfd;

static void put(const char *name, const char *data)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, data, strlen(data)) != (ssize_t)strlen(data))
		perror(name);
	close(fd);
}

static int parse(const char *s, size_t n, struct notify_msg *m) { return notify_parse(s, n, m); }
#define P(lit, m) parse(lit, sizeof lit - 1, m)

static int status_is(const struct notify_msg *m, const char *want)
{
	return (m->what & NOTIFY_STATUS) && m->status_len == strlen(want) &&
	    memcmp(m->status, want, m->status_len) == 0;
}

/* A child that sleeps until killed; its pid. */
static pid_t sleeper(void)
{
	pid_t p = fork();

	if (p == 0) {
		for (;;)
			pause();
	}
	return p;
}

static void reap(pid_t p)
{
	kill(p, SIGKILL);
	waitpid(p, 0, 0);
}

/* Sends one datagram to the address. */
static int send_to(int s, const struct sockaddr_un *sa, socklen_t salen, const void *buf, size_t n)
{
	return sendto(s, buf, n, 0, (const struct sockaddr *)sa, salen) == (ssize_t)n;
}

/* The sockaddr NOTIFY_SOCKET names, as a client builds it. */
static socklen_t client_addr(const char *env, struct sockaddr_un *sa)
{
	const char *v = strchr(env, '=') + 1;
	size_t n = strlen(v);

	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, v, n);
	if (v[0] == '@')
		sa->sun_path[0] = '\0';
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (v[0] == '@' ? 0 : 1));
}

int main(void)
{
	struct notify_msg m;
	struct notify_socket ns, ns2;
	struct notify_sender who = { 0, 0, 0, 0, -1 };
	struct sockaddr_un sa;
	struct stat st;
	struct rlimit rl;
	socklen_t salen;
	char buf[NOTIFY_DGRAM_MAX], big[NOTIFY_DGRAM_MAX + 100], want[640], cwd[512], lng[400];
	const char *why;
	int p[2], cs, r, i, okall, sp[2];
	pid_t kid, grand, orphan, mid;

	if (!mkdtemp(dir) || chdir(dir) < 0)
		return perror(dir), 1;
	/* The double-forked daemon below is reparented to us, and reaped. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	dfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	/* notification-fd */
	ok(notify_fd_parse("3", &why) == 3 && notify_fd_parse("1023", &why) == 1023, "fd 3, 1023");
	ok(notify_fd_parse("2", &why) == NOTIFY_FD_INVALID && strncmp(why, "below 3", 7) == 0 &&
	    notify_fd_parse("0", &why) == NOTIFY_FD_INVALID, "fd 0..2 refused");
	ok(notify_fd_parse("x", &why) == NOTIFY_FD_INVALID && notify_fd_parse("", &why) == NOTIFY_FD_INVALID &&
	    notify_fd_parse("3 ", &why) == NOTIFY_FD_INVALID && notify_fd_parse("-3", &why) == NOTIFY_FD_INVALID &&
	    notify_fd_parse("99999999999999", &why) == NOTIFY_FD_INVALID, "garbage, sign, huge refused");
	ok(notify_fd_read(dfd, &why) == NOTIFY_FD_ABSENT, "no file: absent");
	put(NOTIFY_FD_FILE, "4\n");
	ok(notify_fd_read(dfd, &why) == 4, "file 4 with newline");
	put(NOTIFY_FD_FILE, "5");
	ok(notify_fd_read(dfd, &why) == 5, "file 5 without newline");
	put(NOTIFY_FD_FILE, "5\n\n");
	ok(notify_fd_read(dfd, &why) == NOTIFY_FD_INVALID && strcmp(why, "more than one line") == 0,
	    "two newlines: garbage");
	put(NOTIFY_FD_FILE, "1");
	ok(notify_fd_read(dfd, &why) == NOTIFY_FD_INVALID, "file 1: refused");
	getrlimit(RLIMIT_NOFILE, &rl);
	snprintf(want, sizeof want, "%llu", (unsigned long long)rl.rlim_cur);
	put(NOTIFY_FD_FILE, want);
	ok(notify_fd_read(dfd, &why) == NOTIFY_FD_INVALID && strcmp(why, "not below the open file limit") == 0,
	    "fd at the open file limit: refused");
	unlinkat(dfd, NOTIFY_FD_FILE, 0);

	/* the pipe */
	ok(notify_pipe(p) == 0, "pipe");
	ok((fcntl(p[0], F_GETFL) & O_NONBLOCK) && !(fcntl(p[1], F_GETFL) & O_NONBLOCK) &&
	    (fcntl(p[0], F_GETFD) & FD_CLOEXEC) && (fcntl(p[1], F_GETFD) & FD_CLOEXEC),
	    "runsv's end non-blocking, both close-on-exec");
	ok(notify_pipe_read(p[0]) == NOTIFY_PIPE_WAIT, "nothing yet: wait");
	ok(write(p[1], "starting", 8) == 8 && notify_pipe_read(p[0]) == NOTIFY_PIPE_WAIT, "text without newline: wait");
	ok(write(p[1], "\n", 1) == 1 && notify_pipe_read(p[0]) == NOTIFY_PIPE_READY, "newline: ready");
	close(p[1]);
	ok(notify_pipe_read(p[0]) == NOTIFY_PIPE_EOF, "closed: eof");
	close(p[0]);
	notify_pipe(p);
	ok(write(p[1], "almost", 6) == 6 && close(p[1]) == 0 && notify_pipe_read(p[0]) == NOTIFY_PIPE_EOF,
	    "closed without newline: eof, never ready");
	close(p[0]);
	okall = 1;
	for (i = 0; i < 2; i++) {
		struct pollfd pf;
		int n = i ? 9 : -1;
		notify_pipe(p);
		if (n < 0)
			n = p[1]; /* the write end already where ./run wants it */
		kid = fork();
		if (kid == 0) {
			char cmd[64];
			if (notify_pipe_child(p[1], n) < 0)
				_exit(111);
			snprintf(cmd, sizeof cmd, "echo >&%d", n);
			execl("/bin/sh", "sh", "-c", cmd, (char *)0);
			_exit(111);
		}
		close(p[1]);
		pf.fd = p[0];
		pf.events = POLLIN;
		if (poll(&pf, 1, 5000) != 1 || notify_pipe_read(p[0]) != NOTIFY_PIPE_READY)
			okall = 0;
		waitpid(kid, &r, 0);
		if (!WIFEXITED(r) || WEXITSTATUS(r) != 0)
			okall = 0;
		close(p[0]);
	}
	ok(okall, "notify_pipe_child: ./run writes on fd N (moved, and already in place)");

	/* datagrams */
	ok(P("READY=1", &m) == 0 && m.what == NOTIFY_READY && m.ignored == 0, "READY=1");
	ok(P("READY=1\n", &m) == 0 && m.what == NOTIFY_READY && m.ignored == 0, "final newline");
	ok(P("STOPPING=1\nRELOADING=1\nWATCHDOG=1", &m) == 0 &&
	    m.what == (NOTIFY_STOPPING | NOTIFY_RELOADING | NOTIFY_WATCHDOG), "STOPPING RELOADING WATCHDOG");
	ok(P("WATCHDOG=trigger", &m) == 0 && m.what == NOTIFY_WATCHDOG_TRIGGER, "WATCHDOG=trigger");
	ok(P("STATUS=listening on :80\nREADY=1", &m) == 0 && status_is(&m, "listening on :80") &&
	    (m.what & NOTIFY_READY), "STATUS text");
	ok(P("STATUS=", &m) == 0 && status_is(&m, ""), "empty STATUS");
	ok(P("STATUS=a=b", &m) == 0 && status_is(&m, "a=b"), "key ends at the first =");
	ok(P("STATUS=a\nSTATUS=b", &m) == 0 && status_is(&m, "b"), "duplicate key: the last counts");
	ok(P("MAINPID=4242", &m) == 0 && m.what == NOTIFY_MAINPID && m.mainpid == 4242, "MAINPID");
	ok(P("MAINPID=5\nMAINPID=x", &m) == 0 && m.mainpid == 5 && m.ignored == 1,
	    "a later invalid MAINPID does not undo a valid one");
	ok(P("MAINPID=0", &m) == 0 && m.what == 0 && P("MAINPID=-1", &m) == 0 && m.what == 0 &&
	    P("MAINPID=99999999999", &m) == 0 && m.what == 0 && P("MAINPID=", &m) == 0 && m.what == 0 &&
	    P("MAINPID=12x", &m) == 0 && m.what == 0 && P("MAINPID= 12", &m) == 0 && m.what == 0,
	    "MAINPID 0, negative, huge, empty, garbage, blank: ignored");
	ok(P("READY=0", &m) == 0 && m.what == 0 && m.ignored == 1 && P("READY=1 ", &m) == 0 && m.what == 0 &&
	    P("READY=1\r", &m) == 0 && m.what == 0 && P("ready=1", &m) == 0 && m.what == 0 &&
	    P(" READY=1", &m) == 0 && m.what == 0, "READY with another value, blank, CR, lower case: ignored");
	ok(P("READY", &m) == 0 && m.what == 0 && m.ignored == 1, "no =: ignored");
	ok(P("FOO=bar\nBARRIER=1\nREADY=1\nERRNO=2", &m) == 0 && m.what == NOTIFY_READY && m.ignored == 3,
	    "unknown keys ignored, the known one counts");
	ok(P("\n\nREADY=1\n\n", &m) == 0 && m.what == NOTIFY_READY && m.ignored == 3, "empty lines ignored");
	ok(P("", &m) == 0 && m.what == 0 && m.ignored == 0, "empty datagram: nothing");
	ok(P("READY=1\0STATUS=x", &m) == -1, "NUL byte: refused whole");
	ok(P("\0", &m) == -1, "lone NUL: refused");
	memset(big, 'x', sizeof big);
	memcpy(big, "READY=1\nSTATUS=", 15);
	ok(parse(big, NOTIFY_DGRAM_MAX, &m) == 0 && (m.what & NOTIFY_READY) &&
	    m.status_len == NOTIFY_DGRAM_MAX - 15, "4096 bytes: taken");
	ok(parse(big, NOTIFY_DGRAM_MAX + 1, &m) == -1, "4097 bytes: refused whole");
	{
		/* 2048 fields */
		size_t n = 0;
		while (n + 2 <= NOTIFY_DGRAM_MAX) {
			big[n] = (char)('A' + n % 26);
			big[n + 1] = '\n';
			n += 2;
		}
		memcpy(big + n - 8, "READY=1\n", 8);
		ok(parse(big, n, &m) == 0 && m.what == NOTIFY_READY && m.ignored == n / 2 - 4,
		    "2048 fields: each line on its own");
	}

	/* /proc parsing */
	ok(notify_stat_ppid("123 (sh) S 45 123 123 0", 23) == 45, "stat: ppid");
	ok(notify_stat_ppid("123 (a) b) c) R 7 1", 19) == 7, "stat: comm with ') '");
	ok(notify_stat_ppid("1 (init) S 0 1", 14) == 0, "stat: ppid 0");
	ok(notify_stat_ppid("123 (sh) S 45", 13) == 45, "stat: ppid at the end");
	ok(notify_stat_ppid("123 (sh) S x", 12) == -1 && notify_stat_ppid("123 sh S 4", 10) == -1 &&
	    notify_stat_ppid("123 (sh)", 8) == -1 && notify_stat_ppid("123 (sh) S  4", 13) == -1 &&
	    notify_stat_ppid("", 0) == -1 && notify_stat_ppid("1 (a) S 99999999999 ", 20) == -1,
	    "stat: malformed");
	{
		const char cg[] = "9:name=systemd:/\n1:cpu:/x/y\n0::/svc@1-2/sub\n";
		ok(notify_cgroup_match(cg, sizeof cg - 1, "/svc@1-2") == 1, "cgroup: below");
		ok(notify_cgroup_match(cg, sizeof cg - 1, "/svc@1-2/sub") == 1, "cgroup: exact");
		ok(notify_cgroup_match(cg, sizeof cg - 1, "/svc@1") == 0, "cgroup: a prefix that is not a parent");
		ok(notify_cgroup_match(cg, sizeof cg - 1, "/x") == 0, "cgroup: v1 lines do not count");
		ok(notify_cgroup_match("0::/a (deleted)\n", 16, "/a") == 0, "cgroup: deleted");
		ok(notify_cgroup_match("1:cpu:/a\n", 9, "/a") == 0, "cgroup: no 0:: line");
	}

	/* the sender check with real processes: kid = ./run, with a child and
	 * a daemon that double-forked away; their pids come through a pipe */
	if (pipe(p) < 0)
		return 1;
	kid = fork();
	if (kid == 0) {
		pid_t pids[3], mid;
		pids[0] = sleeper();
		mid = fork();
		if (mid == 0) {
			pids[1] = sleeper();
			pids[2] = getpid();
			if (write(p[1], pids, sizeof pids) != sizeof pids)
				_exit(1);
			_exit(0);
		}
		waitpid(mid, 0, 0);
		for (;;)
			pause();
	}
	close(p[1]);
	{
		pid_t pids[3] = { 0, 0, 0 };
		if (read(p[0], pids, sizeof pids) != sizeof pids)
			pids[0] = pids[1] = pids[2] = 0;
		close(p[0]);
		grand = pids[0];
		orphan = pids[1];
		mid = pids[2];
	}
	/* the daemon's parent has gone: wait until it is reparented */
	for (i = 0; i < 500; i++) {
		char path[64], text[256];
		int fd;
		ssize_t n;
		snprintf(path, sizeof path, "/proc/%d/stat", (int)orphan);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, text, sizeof text);
		if (fd >= 0)
			close(fd);
		if (n > 0 && notify_stat_ppid(text, (size_t)n) != mid)
			break;
		usleep(10000);
	}
	who.root = kid;
	who.cgroup = 0;
	ok(notify_in_service(kid, &who) == 1, "./run itself is the service");
	ok(grand > 0 && notify_in_service(grand, &who) == 1, "its child is the service");
	ok(notify_in_service(getpid(), &who) == 0, "its parent is not");
	ok(notify_in_service(1, &who) == 0, "pid 1 is not");
	ok(notify_in_service(0, &who) == 0 && notify_in_service(-5, &who) == 0, "pid 0, negative: not");
	{
		pid_t gone = fork();
		if (gone == 0)
			_exit(0);
		waitpid(gone, 0, 0);
		ok(notify_in_service(gone, &who) == 0, "a reaped pid: not");
	}
	ok(orphan > 0 && notify_in_service(orphan, &who) == 0,
	    "a double-forked, reparented daemon: not (only a cgroup knows it)");
	reap(grand);
	reap(orphan);
	who.root = 0;
	ok(notify_in_service(kid, &who) == 0, "root 0 (./run not running): nobody");
	reap(kid);
	while (waitpid(-1, 0, 0) > 0)
		; /* the zombies of kid's children, reparented to us */

	/* the socket */
	ok(mkdir("supervise", 0700) == 0, "supervise/");
	put("supervise/notify", "stale");
	ok(notify_socket_open(&ns, NOTIFY_SOCKET_PATH, 0) == 0, "socket opened over a stale file");
	ok(getcwd(cwd, sizeof cwd) != 0, "cwd");
	snprintf(want, sizeof want, "NOTIFY_SOCKET=/proc/%d/cwd/supervise/notify", (int)getpid());
	is_str(ns.env, want, "NOTIFY_SOCKET goes through /proc/PID/cwd (renames follow it)");
	ok(!ns.in_rundir && stat("supervise/notify", &st) == 0 && S_ISSOCK(st.st_mode) &&
	    (st.st_mode & 0777) == 0666, "a socket file, mode 0666");
	{
		int on = 0;
		socklen_t l = sizeof on;
		ok(getsockopt(ns.fd, SOL_SOCKET, SO_PASSCRED, &on, &l) == 0 && on &&
		    (fcntl(ns.fd, F_GETFD) & FD_CLOEXEC) && (fcntl(ns.fd, F_GETFL) & O_NONBLOCK),
		    "SO_PASSCRED, close-on-exec, non-blocking");
	}
	salen = client_addr(ns.env, &sa);
	cs = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	who.root = getpid();
	who.cgroup = 0;
	ok(notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_AGAIN, "nothing queued: again");
	ok(send_to(cs, &sa, salen, "READY=1\nSTATUS=up", 17), "send");
	r = notify_recv(ns.fd, buf, &who, &m, &why);
	ok(r == NOTIFY_RECV_OK && m.what == (NOTIFY_READY | NOTIFY_STATUS) && status_is(&m, "up") &&
	    m.pid == getpid() && m.uid == getuid() && why == 0, "received, with the sender's credentials");
	ok(notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_AGAIN, "one datagram per call");
	ok(who.refused == 0, "nobody refused yet");
	/* Twice: with the kernel's SCM_PIDFD (where it has one), then
	 * without, as on a kernel older than 6.5. */
	for (int round = 0; round < 2; round++) {
		/* A stranger: root is a child of ours, not an ancestor. */
		pid_t other = fork();
		char self_cg[CGROUP_PATH_MAX + 64];
		ssize_t cn;
		const char *cg;
		size_t cl;

		if (other == 0) {
			pause();
			_exit(0);
		}
		who.root = other;
		ok(send_to(cs, &sa, salen, "STATUS=stranger", 15) &&
		    notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_DROPPED && why &&
		    strcmp(why, "sender not in the service") == 0 && who.refused == getpid() &&
		    who.refused_fd >= 0 && (fcntl(who.refused_fd, F_GETFD) & FD_CLOEXEC),
		    "a stranger: refused, remembered with a pidfd (close-on-exec)");
		/* Its cgroup would now say yes: the memory answers first. */
		cn = read_string_at(AT_FDCWD, "/proc/self/cgroup", self_cg, sizeof self_cg - 1);
		cg = cn > 0 ? cgroup_v2_find(self_cg, (size_t)cn, &cl) : 0;
		if (cg) {
			((char *)cg)[cl] = 0;
			who.cgroup = cg;
			ok(notify_in_service(getpid(), &who) == 1, "(the cgroup check alone would believe it)");
			ok(send_to(cs, &sa, salen, "STATUS=again", 12) &&
			    notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_DROPPED && why &&
			    strcmp(why, "sender not in the service") == 0,
			    "refused again without a look at /proc, in a later call");
			who.cgroup = 0;
		} else
			ok(1, "# skip no cgroup v2 line");
		who.root = getpid();
		ok(send_to(cs, &sa, salen, "STATUS=back", 11) &&
		    notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_OK && who.refused == 0,
		    "another root: the memory is dropped, the sender checked again");
		kill(other, SIGKILL);
		reap(other);
		if (round == 0) {
			int off = 0;
			printf("# SO_PASSPIDFD: %s\n", ns.pidfds ? "yes" : "no (older kernel)");
			(void)setsockopt(ns.fd, SOL_SOCKET, 76 /* SO_PASSPIDFD */, &off, sizeof off);
		}
	}

	memset(big, 'y', sizeof big);
	memcpy(big, "READY=1\n", 8);
	ok(send_to(cs, &sa, salen, big, NOTIFY_DGRAM_MAX + 1) && send_to(cs, &sa, salen, "WATCHDOG=1", 10),
	    "send a 4097-byte datagram, then a ping");
	r = notify_recv(ns.fd, buf, &who, &m, &why);
	ok(r == NOTIFY_RECV_DROPPED && strcmp(why, "too large") == 0, "too large: dropped whole (not ready)");
	r = notify_recv(ns.fd, buf, &who, &m, &why);
	ok(r == NOTIFY_RECV_OK && m.what == NOTIFY_WATCHDOG, "the next datagram is intact");
	ok(send_to(cs, &sa, salen, big, NOTIFY_DGRAM_MAX) &&
	    notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_OK && (m.what & NOTIFY_READY) && m.ignored == 1,
	    "exactly 4096 bytes: taken");
	ok(send_to(cs, &sa, salen, "READY=1\0", 8) &&
	    notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_DROPPED && strcmp(why, "malformed") == 0,
	    "NUL: dropped as malformed");

	/* a foreign sender: root is a sleeping child, we are its parent */
	kid = sleeper();
	who.root = kid;
	ok(send_to(cs, &sa, salen, "READY=1", 7) &&
	    notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_DROPPED &&
	    strcmp(why, "sender not in the service") == 0 && m.pid == getpid(),
	    "READY=1 from outside the service: dropped");
	/* the sender is ./run's child: a short-lived child of kid cannot be made here, so send as
	 * the child of root = us */
	who.root = getpid();
	snprintf(want, sizeof want, "MAINPID=%d\nREADY=1", (int)kid);
	ok(send_to(cs, &sa, salen, want, strlen(want)) &&
	    notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_OK && (m.what & NOTIFY_MAINPID) &&
	    m.mainpid == kid && why == 0, "MAINPID: passed on");
	ok(send_to(cs, &sa, salen, "MAINPID=1\nREADY=1", 17) &&
	    notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_OK &&
	    m.what == (NOTIFY_READY | NOTIFY_MAINPID) && m.mainpid == 1 && why == 0,
	    "MAINPID of a foreign pid: passed on unchecked (notify_main_open checks)");
	/* MAINPID's pidfd: the same check, on the process the pidfd holds */
	{
		int fd = notify_main_open(kid, &who);
		pid_t gone;

		ok(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC), "notify_main_open: a child of ./run, close-on-exec");
		ok(notify_main_signal(fd, 0) == 0, "notify_main_signal 0: alive");
		errno = 0;
		ok(notify_main_open(1, &who) == -1 && errno == ESRCH, "pid 1: ESRCH");
		errno = 0;
		ok(notify_main_open(getppid(), &who) == -1 && errno == ESRCH, "./run's parent: ESRCH");
		gone = fork();
		if (gone == 0)
			_exit(0);
		waitpid(gone, 0, 0);
		errno = 0;
		ok(notify_main_open(gone, &who) == -1 && errno == ESRCH, "a reaped pid: ESRCH");
		reap(kid);
		errno = 0;
		ok(notify_main_signal(fd, 0) == -1 && errno == ESRCH, "once it has ended and been reaped: ESRCH");
		close(fd);
	}
	/* a child sends, runsv reads while it is a zombie */
	kid = fork();
	if (kid == 0) {
		int s = socket(AF_UNIX, SOCK_DGRAM, 0);
		_exit(send_to(s, &sa, salen, "READY=1", 7) ? 0 : 1);
	}
	for (i = 0; i < 500 && notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_AGAIN; i++)
		usleep(10000);
	ok(m.pid == kid && m.what == NOTIFY_READY, "a child's datagram: taken, its pid as sender");
	waitpid(kid, 0, 0);

	/* descriptors sent along are closed */
	{
		struct msghdr mh;
		struct iovec iov;
		union {
			struct cmsghdr a;
			char b[CMSG_SPACE(sizeof(int))];
		} ctl;
		struct cmsghdr *c;
		struct pollfd pf;

		if (pipe(p) < 0)
			return 1;
		memset(&mh, 0, sizeof mh);
		iov.iov_base = "BARRIER=1";
		iov.iov_len = 9;
		mh.msg_name = &sa;
		mh.msg_namelen = salen;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl.b;
		mh.msg_controllen = sizeof ctl.b;
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &p[1], sizeof(int));
		ok(sendmsg(cs, &mh, 0) == 9, "send an fd (systemd-notify's barrier)");
		close(p[1]);
		pf.fd = p[0];
		pf.events = POLLIN;
		ok(poll(&pf, 1, 0) == 0, "the barrier holds while the datagram waits");
		r = notify_recv(ns.fd, buf, &who, &m, &why);
		ok(r == NOTIFY_RECV_OK && m.what == 0 && m.ignored == 1, "BARRIER=1: nothing to do");
		ok(poll(&pf, 1, 1000) == 1 && (pf.revents & POLLHUP), "the passed fd was closed: the barrier falls");
		close(p[0]);
	}

	/* no credentials: a socket without SO_PASSCRED */
	ok(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sp) == 0 && write(sp[1], "READY=1", 7) == 7 &&
	    notify_recv(sp[0], buf, &who, &m, &why) == NOTIFY_RECV_DROPPED &&
	    strcmp(why, "no credentials") == 0, "no SCM_CREDENTIALS: dropped");
	close(sp[0]);
	close(sp[1]);

	/* a second socket on the same path replaces the first (a runsv restarted after a crash) */
	ok(notify_socket_open(&ns2, NOTIFY_SOCKET_PATH, 0) == 0, "reopen over a live socket file");
	notify_socket_close(&ns2, NOTIFY_SOCKET_PATH);
	ok(stat("supervise/notify", &st) < 0 && errno == ENOENT, "close unlinks the file");
	notify_socket_close(&ns2, NOTIFY_SOCKET_PATH);
	ok(ns2.fd == -1, "closing twice is harmless");
	close(ns.fd);

	/* the runtime directory: made, checked, named by supervise/'s dev and inode */
	put("notadir", "");
	snprintf(want, sizeof want, "%s/notadir/x", dir);
	ok(notify_socket_open(&ns, NOTIFY_SOCKET_PATH, want) == -1 && ns.fd == -1,
	    "a runtime directory that cannot be made: error");
	snprintf(want, sizeof want, "%s/run/notify", dir);
	ok(notify_socket_open(&ns, NOTIFY_SOCKET_PATH, want) == -1 && errno == ENOENT && ns.fd == -1,
	    "a missing runtime directory is not made");
	snprintf(want, sizeof want, "%s/run", dir);
	mkdir(want, 0755);
	snprintf(want, sizeof want, "%s/run/notify", dir);
	mkdir(want, 0755);
	ok(notify_socket_open(&ns, NOTIFY_SOCKET_PATH, want) == 0 && ns.in_rundir, "in a runtime directory");
	stat("supervise", &st);
	snprintf(want, sizeof want, "NOTIFY_SOCKET=%s/run/notify/%llx.%llx", dir,
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	is_str(ns.env, want, "named by the supervise directory's dev and inode");
	salen = client_addr(ns.env, &sa);
	ok(send_to(cs, &sa, salen, "READY=1", 7) && notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_OK &&
	    m.what == NOTIFY_READY, "runtime directory: received");
	ok(rename("supervise", "supervise.moved") == 0 && send_to(cs, &sa, salen, "READY=1", 7) &&
	    notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_OK && rename("supervise.moved", "supervise") == 0,
	    "a rename of the service's directories does not reach it");
	notify_socket_close(&ns, NOTIFY_SOCKET_PATH);
	ok(stat(want + 14, &st) < 0 && errno == ENOENT, "close unlinks it");
	snprintf(want, sizeof want, "%s/run", dir);
	chmod(want, 0777);
	snprintf(want, sizeof want, "%s/run/notify", dir);
	ok(notify_socket_open(&ns, NOTIFY_SOCKET_PATH, want) == -1 && errno == EPERM && ns.fd == -1,
	    "a runtime directory others may write: refused (they could put their own socket there)");

	/* a path too long for sun_path: bound relative, reached through /proc */
	memset(lng, 'd', 120);
	lng[120] = 0;
	ok(mkdir(lng, 0700) == 0 && chdir(lng) == 0 && mkdir("supervise", 0700) == 0, "a deep service directory");
	ok(notify_socket_open(&ns, NOTIFY_SOCKET_PATH, 0) == 0 && strncmp(ns.env, "NOTIFY_SOCKET=/proc/", 20) == 0,
	    "too long for sun_path: /proc/PID/cwd/supervise/notify");
	salen = client_addr(ns.env, &sa);
	ok(send_to(cs, &sa, salen, "READY=1", 7) && notify_recv(ns.fd, buf, &who, &m, &why) == NOTIFY_RECV_OK,
	    "received through it");
	notify_socket_close(&ns, NOTIFY_SOCKET_PATH);
	ok(stat("supervise/notify", &st) < 0, "close unlinks it");
	ok(notify_socket_open(&ns, "nodir/notify", 0) == 0 || (errno == ENOENT && ns.fd == -1),
	    "missing directory: error, nothing open");
	notify_socket_close(&ns, "nodir/notify");
	must(chdir(dir));

	{
		char wd[NOTIFY_WATCHDOG_ENV_MAX];
		ok(notify_watchdog_env(wd, 500) == 20 && strcmp(wd, "WATCHDOG_USEC=500000") == 0, "WATCHDOG_USEC");
		notify_watchdog_env(wd, 2147483647UL);
		is_str(wd, "WATCHDOG_USEC=2147483647000", "WATCHDOG_USEC of the largest ms");
	}

	{
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			perror(cmd);
	}
	return done_testing();
}
