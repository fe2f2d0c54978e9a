/* notify.c: runsv's side of readiness: the notification-fd pipe, the sd_notify socket, its messages, and who may send them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "cgroup.h"
#include "io.h"
#include "notify.h"
#include "num.h"
#include "svfile.h"

/* Linux 6.5's sender pidfds (asm-generic values); older headers lack them. */
#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD 76
#endif
#ifndef SCM_PIDFD
#define SCM_PIDFD 0x04
#endif

int notify_fd_parse(const char *value, const char **why)
{
	unsigned long u;

	if (!scan_ulong_all(value, &u)) {
		*why = "not a file descriptor number";
		return NOTIFY_FD_INVALID;
	}
	if (u < 3) {
		*why = "below 3 (0, 1 and 2 are stdin, stdout and stderr)";
		return NOTIFY_FD_INVALID;
	}
	if (u > INT_MAX) {
		*why = "not below the open file limit";
		return NOTIFY_FD_INVALID;
	}
	return (int)u;
}

int notify_fd_read(int dirfd, const char **why)
{
	char value[SVFILE_VALUE_MAX + 1];
	struct rlimit rl;
	int n;

	switch (svfile_read(dirfd, NOTIFY_FD_FILE, value, why)) {
	case SVFILE_ABSENT:
		return NOTIFY_FD_ABSENT;
	case SVFILE_INVALID:
		return NOTIFY_FD_INVALID;
	case SVFILE_ERROR:
		return -1;
	}
	n = notify_fd_parse(value, why);
	if (n < 0)
		return n;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)n >= rl.rlim_cur) {
		*why = "not below the open file limit";
		return NOTIFY_FD_INVALID;
	}
	return n;
}

int notify_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	/* Only runsv's end: O_NONBLOCK belongs to the open file, and the
	 * service's end stays a plain blocking pipe. */
	if (fd_nonblock(p[0]) < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		errno = e;
		return -1;
	}
	return 0;
}

int notify_pipe_child(int wfd, int n)
{
	int fl;

	if (wfd != n)
		return dup2(wfd, n) < 0 ? -1 : 0;
	fl = fcntl(n, F_GETFD);
	if (fl < 0)
		return -1;
	return fcntl(n, F_SETFD, fl & ~FD_CLOEXEC);
}

#define NOTIFY_PIPE_DRAIN_MAX 65536

int notify_pipe_read(int rfd)
{
	char buf[512];
	size_t total = 0;
	ssize_t r;

	while (total < NOTIFY_PIPE_DRAIN_MAX) {
		r = read_intr(rfd, buf, sizeof buf);
		if (r < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? NOTIFY_PIPE_WAIT : NOTIFY_PIPE_ERROR;
		if (r == 0)
			return NOTIFY_PIPE_EOF;
		if (memchr(buf, '\n', (size_t)r))
			return NOTIFY_PIPE_READY;
		total += (size_t)r;
	}
	return NOTIFY_PIPE_WAIT;
}

/* "DEV.INO" (lower-case hex) of the directory that holds path. */
static int dir_name(char *out, const char *path)
{
	char dir[256]; /* runsv names its socket relative to the service */
	const char *slash = strrchr(path, '/');
	struct stat st;
	size_t n;

	if (!slash) {
		strcpy(dir, ".");
	} else {
		n = (size_t)(slash - path);
		if (n >= sizeof dir) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(dir, path, n ? n : 1); /* "/x" lives in "/" */
		dir[n ? n : 1] = '\0';
	}
	if (stat(dir, &st) < 0)
		return -1;
	n = fmt_xullong(out, (unsigned long long)st.st_dev);
	out[n++] = '.';
	out[n + fmt_xullong(out + n, (unsigned long long)st.st_ino)] = '\0';
	return 0;
}

/* Checks every directory of rundir (absolute): a real directory, not a
 * symlink, owned by root or this user, writable by no one else (a sticky
 * one, as /tmp, may lead to it). Anyone who could write one of them could
 * put their own socket where runsv's is looked for. Nothing is made: the
 * system makes it (runsv.8). */
static int rundir_check(const char *rundir)
{
	char dir[NOTIFY_SUN_MAX];
	struct stat st;
	size_t i, n = strlen(rundir);

	if (rundir[0] != '/' || n >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, rundir, n + 1);
	for (i = 1; i <= n; i++) {
		if (dir[i] != '/' && dir[i] != '\0')
			continue;
		dir[i] = '\0';
		if (lstat(dir, &st) < 0)
			return -1;
		if (!S_ISDIR(st.st_mode) || (st.st_uid != 0 && st.st_uid != geteuid()) ||
		    ((st.st_mode & 022) && !((st.st_mode & S_ISVTX) && i < n))) {
			errno = EPERM;
			return -1;
		}
		dir[i] = rundir[i];
	}
	return 0;
}

/* The socket's address: in rundir (when given) by the dev and inode of
 * the directory holding path; else path itself, relative to the current
 * directory, which no length limits. */
static int socket_addr(struct sockaddr_un *sa, const char *path, const char *rundir)
{
	char name[2 * 16 + 2];
	size_t r, m;

	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	if (!rundir) {
		if (strlen(path) >= NOTIFY_SUN_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(sa->sun_path, path);
		return 0;
	}
	if (dir_name(name, path) < 0)
		return -1;
	r = strlen(rundir);
	m = strlen(name);
	if (r + 1 + m >= NOTIFY_SUN_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa->sun_path, rundir, r);
	sa->sun_path[r] = '/';
	memcpy(sa->sun_path + r + 1, name, m + 1);
	return 0;
}

/* NOTIFY_SOCKET's value for a socket bound at path relative to the
 * current directory: through /proc/PID/cwd, which follows the directory
 * wherever it is renamed; without /proc, the absolute path of today. */
static int relative_value(char *out, const char *path)
{
	char cwd[NOTIFY_SUN_MAX]; /* a longer one does not fit anyway (ERANGE) */
	size_t c, p = strlen(path);
	struct stat st;

	if (stat("/proc/self/cwd", &st) == 0) {
		c = 6;
		memcpy(out, "/proc/", 6);
		c += fmt_ulong(out + c, (unsigned long)getpid());
		memcpy(out + c, "/cwd/", 5);
		c += 5;
	} else {
		if (!getcwd(cwd, sizeof cwd) || cwd[0] != '/')
			return -1;
		c = strlen(cwd);
		memcpy(out, cwd, c);
		if (c > 1)
			out[c++] = '/';
	}
	if (c + p >= NOTIFY_SUN_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(out + c, path, p + 1);
	return 0;
}

int notify_socket_open(struct notify_socket *ns, const char *path, const char *rundir)
{
	static const char var[] = "NOTIFY_SOCKET=";
	struct sockaddr_un sa;
	socklen_t salen;
	int one = 1, e;

	ns->fd = -1;
	ns->pidfds = 0;
	ns->in_rundir = rundir != 0;
	ns->env[0] = '\0';
	if (rundir && rundir_check(rundir) < 0)
		return -1;
	if (socket_addr(&sa, path, rundir) < 0)
		return -1;
	memcpy(ns->env, var, sizeof var - 1);
	if (rundir)
		strcpy(ns->env + sizeof var - 1, sa.sun_path);
	else if (relative_value(ns->env + sizeof var - 1, path) < 0)
		return -1;
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sa.sun_path) + 1);
	ns->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (ns->fd < 0)
		return -1;
	if (setsockopt(ns->fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) < 0)
		goto fail;
	/* Older kernels say ENOPROTOOPT: the check opens a pidfd itself. */
	ns->pidfds = setsockopt(ns->fd, SOL_SOCKET, SO_PASSPIDFD, &one, sizeof one) == 0;
	if (unlink(sa.sun_path) < 0 && errno != ENOENT)
		goto fail;
	if (bind(ns->fd, (struct sockaddr *)&sa, salen) < 0)
		goto fail;
	if (chmod(sa.sun_path, 0666) < 0) {
		e = errno;
		unlink(sa.sun_path);
		errno = e;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	close(ns->fd);
	ns->fd = -1;
	ns->env[0] = '\0';
	errno = e;
	return -1;
}

void notify_socket_close(struct notify_socket *ns, const char *path)
{
	if (ns->fd < 0)
		return;
	close(ns->fd);
	ns->fd = -1;
	if (ns->in_rundir)
		(void)unlink(ns->env + sizeof "NOTIFY_SOCKET=" - 1);
	else if (path)
		(void)unlink(path);
}

size_t notify_watchdog_env(char out[NOTIFY_WATCHDOG_ENV_MAX], unsigned long ms)
{
	static const char var[] = "WATCHDOG_USEC=";

	memcpy(out, var, sizeof var - 1);
	return sizeof var - 1 + fmt_ullong(out + sizeof var - 1, (unsigned long long)ms * 1000);
}

static int is(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(s, word, n) == 0;
}

/* A decimal pid > 0 that fits pid_t, all of s[0..n); else 0. */
static pid_t scan_pid(const char *s, size_t n)
{
	long long v = 0;
	size_t i;

	if (n == 0 || n > 10)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v > 0 && v <= INT_MAX ? (pid_t)v : 0;
}

static void parse_line(const char *line, size_t n, struct notify_msg *m)
{
	const char *eq = memchr(line, '=', n);
	const char *val;
	size_t klen, vlen;
	pid_t pid;

	if (!eq) {
		m->ignored++;
		return;
	}
	klen = (size_t)(eq - line);
	val = eq + 1;
	vlen = n - klen - 1;
	if (is(line, klen, "READY") && is(val, vlen, "1"))
		m->what |= NOTIFY_READY;
	else if (is(line, klen, "STOPPING") && is(val, vlen, "1"))
		m->what |= NOTIFY_STOPPING;
	else if (is(line, klen, "RELOADING") && is(val, vlen, "1"))
		m->what |= NOTIFY_RELOADING;
	else if (is(line, klen, "WATCHDOG") && is(val, vlen, "1"))
		m->what |= NOTIFY_WATCHDOG;
	else if (is(line, klen, "WATCHDOG") && is(val, vlen, "trigger"))
		m->what |= NOTIFY_WATCHDOG_TRIGGER;
	else if (is(line, klen, "STATUS")) {
		m->what |= NOTIFY_STATUS;
		m->status = val;
		m->status_len = vlen;
	} else if (is(line, klen, "MAINPID") && (pid = scan_pid(val, vlen)) > 0) {
		m->what |= NOTIFY_MAINPID;
		m->mainpid = pid;
	} else
		m->ignored++;
}

int notify_parse(const char *buf, size_t len, struct notify_msg *m)
{
	const char *p = buf, *end = buf + len, *nl;

	memset(m, 0, sizeof *m);
	m->uid = (uid_t)-1;
	m->gid = (gid_t)-1;
	if (len > NOTIFY_DGRAM_MAX || memchr(buf, '\0', len))
		return -1;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		parse_line(p, (size_t)((nl ? nl : end) - p), m);
		p = nl ? nl + 1 : end;
	}
	return 0;
}

pid_t notify_stat_ppid(const char *buf, size_t len)
{
	const char *p = 0, *end = buf + len;
	long long v = 0;
	size_t i;

	for (i = len; i-- > 0;)
		if (buf[i] == ')') {
			p = buf + i + 1;
			break;
		}
	/* ") S 123 " : a blank, the state, a blank, the parent's pid. */
	if (!p || end - p < 4 || p[0] != ' ' || p[1] == ' ' || p[2] != ' ')
		return -1;
	for (p += 3; p < end && *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -1;
	}
	if (p < end && *p != ' ')
		return -1;
	if (p[-1] == ' ')
		return -1; /* no digit */
	return (pid_t)v;
}

int notify_cgroup_match(const char *buf, size_t len, const char *cg)
{
	size_t n, c = strlen(cg);
	const char *path = cgroup_v2_find(buf, len, &n);

	if (!path || n == 0 || path[0] != '/' || c == 0)
		return 0;
	if (c == 1 && cg[0] == '/')
		return 1;
	return n >= c && memcmp(path, cg, c) == 0 && (n == c || path[c] == '/');
}

/* "/proc/PID/NAME", NAME "stat" or "cgroup". */
#define PROC_PATH_MAX (sizeof "/proc//cgroup" + FMT_ULONG)
static const char *proc_path(char path[PROC_PATH_MAX], pid_t pid, const char *name)
{
	size_t len;

	memcpy(path, "/proc/", 6);
	len = 6 + fmt_ulong(path + 6, (unsigned long)pid);
	path[len++] = '/';
	strcpy(path + len, name);
	return path;
}

#define NOTIFY_TREE_STEPS 4096

static int in_cgroup_line(const char *line, size_t len, void *cg)
{
	return notify_cgroup_match(line, len, cg);
}

int notify_in_service(pid_t pid, const struct notify_sender *who)
{
	/* a "0::" line of /proc/PID/cgroup, or the head of /proc/PID/stat */
	char buf[CGROUP_PATH_MAX + 64], path[PROC_PATH_MAX];
	pid_t self = getpid(), ppid;
	ssize_t n;
	int steps;

	if (pid <= 0 || who->root <= 0)
		return 0;
	if (who->cgroup && lines_read(proc_path(path, pid, "cgroup"), buf, sizeof buf,
	    in_cgroup_line, (void *)who->cgroup) == 1)
		return 1;
	for (steps = 0; steps < NOTIFY_TREE_STEPS; steps++) {
		if (pid == who->root)
			return 1;
		if (pid <= 1 || pid == self)
			return 0;
		/* pid, comm (16 bytes at most), state and ppid come first */
		n = read_string_at(AT_FDCWD, proc_path(path, pid, "stat"), buf, 257);
		if (n <= 0)
			return 0;
		ppid = notify_stat_ppid(buf, (size_t)n);
		if (ppid < 0)
			return 0;
		pid = ppid;
	}
	return 0;
}

static int pidfd_open_(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0); /* close-on-exec by default */
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

int notify_main_signal(int fd, int sig)
{
#ifdef SYS_pidfd_send_signal
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, (void *)0, 0);
#else
	(void)fd;
	(void)sig;
	errno = ENOSYS;
	return -1;
#endif
}

int notify_main_open(pid_t pid, const struct notify_sender *who)
{
	int fd = pidfd_open_(pid);

	if (fd < 0)
		return -1;
	if (notify_in_service(pid, who) && notify_main_signal(fd, 0) == 0)
		return fd;
	close_fd(fd);
	errno = ESRCH;
	return -1;
}

#define NOTIFY_FDS_MAX 253 /* the kernel's SCM_MAX_FD */

void notify_sender_forget(struct notify_sender *who)
{
	if (who->refused && who->refused_fd >= 0)
		close_fd(who->refused_fd);
	who->refused = 0;
	who->refused_fd = -1;
}

/* Is pid the sender refused last, still alive (so still that pid)? */
static int refused_before(struct notify_sender *who, pid_t pid)
{
	if (who->refused && who->refused_root != who->root)
		notify_sender_forget(who); /* another ./run: asked again */
	if (!who->refused || pid != who->refused)
		return 0;
	if (notify_main_signal(who->refused_fd, 0) == 0)
		return 1;
	notify_sender_forget(who); /* it ended: the pid may name another */
	return 0;
}

/*
 * Does the sender speak for the service? The rule is notify_in_service's.
 * With the sender's own pidfd (SCM_PIDFD), the pid must still be the
 * sender's after the check (not reaped: a zombie still holds its pid), so
 * that the check was about the sender and not about a process that got
 * its pid since. A stranger is refused and remembered with a pidfd: its
 * own, or one opened before the check and alive after it (as
 * notify_main_open does). *kept is set when the SCM_PIDFD became that
 * memory.
 */
static int sender_believed(struct notify_sender *who, pid_t pid, int pidfd, int *kept)
{
	int fd, in;

	*kept = 0;
	if (refused_before(who, pid))
		return 0;
	fd = pidfd >= 0 ? pidfd : pidfd_open_(pid);
	in = notify_in_service(pid, who);
	if (in && (pidfd < 0 || notify_main_signal(pidfd, 0) == 0)) {
		if (fd >= 0 && fd != pidfd)
			close_fd(fd);
		return 1;
	}
	notify_sender_forget(who);
	if (!in && fd >= 0 && notify_main_signal(fd, 0) == 0) {
		who->refused = pid;
		who->refused_root = who->root;
		who->refused_fd = fd;
		*kept = fd == pidfd;
		if (*kept) /* (kept for long: no child may inherit it) */
			(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	} else if (fd >= 0 && fd != pidfd)
		close_fd(fd);
	return 0;
}

int notify_recv(int fd, char buf[NOTIFY_DGRAM_MAX], struct notify_sender *who,
    struct notify_msg *m, const char **why)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int)) +
		    CMSG_SPACE(sizeof(int) * NOTIFY_FDS_MAX)];
	} ctl;
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *c;
	struct ucred cred;
	int have_cred = 0, result, e, pidfd = -1, kept = 0;
	ssize_t n;

	*why = 0;
	memset(m, 0, sizeof *m);
	iov.iov_base = buf;
	iov.iov_len = NOTIFY_DGRAM_MAX;
	memset(&mh, 0, sizeof mh);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof ctl.buf;
	do
		n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? NOTIFY_RECV_AGAIN : NOTIFY_RECV_ERROR;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len == CMSG_LEN(sizeof cred)) {
			memcpy(&cred, CMSG_DATA(c), sizeof cred);
			have_cred = 1;
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_PIDFD &&
		    c->cmsg_len == CMSG_LEN(sizeof pidfd))
			memcpy(&pidfd, CMSG_DATA(c), sizeof pidfd);

	result = NOTIFY_RECV_DROPPED;
	if ((size_t)n > NOTIFY_DGRAM_MAX || (mh.msg_flags & MSG_TRUNC))
		*why = "too large";
	else if (!have_cred)
		*why = "no credentials";
	else if (notify_parse(buf, (size_t)n, m) < 0)
		*why = "malformed";
	else {
		m->pid = cred.pid;
		m->uid = cred.uid;
		m->gid = cred.gid;
		/* A flood from a stranger costs one walk of /proc while it lives. */
		if (!sender_believed(who, cred.pid, pidfd, &kept))
			*why = "sender not in the service";
		else
			result = NOTIFY_RECV_OK;
	}

	/* Passed descriptors: closed, after the check above. */
	e = errno;
	if (pidfd >= 0 && !kept)
		close_fd(pidfd);
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t k, nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (k = 0; k < nfd; k++) {
				int pfd;
				memcpy(&pfd, CMSG_DATA(c) + k * sizeof(int), sizeof pfd);
				close_fd(pfd);
			}
		}
	errno = e;
	return result;
}
