/* notify.h: runsv's side of readiness: the notification-fd pipe, the sd_notify socket, its messages, and who may send them. */
#ifndef RNG_NOTIFY_H
#define RNG_NOTIFY_H
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

/* ---------------------------------------------------------------------
 * notification-fd: s6's protocol. ./run starts with the write end of a
 * pipe on fd N; the first newline written on it means "ready".
 */
#define NOTIFY_FD_FILE "notification-fd"
#define NOTIFY_FD_ABSENT (-2)
#define NOTIFY_FD_INVALID (-3)

/*
 * The value of the file (svfile.h's rules: one value, at most one
 * newline, nothing else): a decimal fd number >= 3 (0, 1 and 2 are
 * ./run's stdin, stdout, stderr). Returns the number, or NOTIFY_FD_INVALID
 * with *why. Pure.
 */
int notify_fd_parse(const char *value, const char **why);
/*
 * Reads NOTIFY_FD_FILE relative to dirfd (AT_FDCWD in runsv). On top of
 * notify_fd_parse, the number must be below runsv's soft RLIMIT_NOFILE
 * (./run inherits the limit; dup2 could not place the pipe there).
 * Returns the fd number, NOTIFY_FD_ABSENT, NOTIFY_FD_INVALID with *why,
 * or -1 with errno when the file cannot be read.
 */
int notify_fd_read(int dirfd, const char **why);

/*
 * The pipe. notify_pipe: p[0] for runsv (non-blocking: poll it for
 * POLLIN), p[1] for ./run; both close-on-exec. After the fork runsv closes
 * p[1] at once, or it would never see EOF.
 */
int notify_pipe(int p[2]);
/* In the forked child, before exec: puts wfd on fd n, inheritable (also
 * when wfd == n). Async-signal-safe. 0, or -1 with errno. Call it after
 * every other descriptor move in the child (log pipe on 1, cgroup entry):
 * whatever was on fd n is replaced. */
int notify_pipe_child(int wfd, int n);

enum notify_pipe_result {
	NOTIFY_PIPE_ERROR = -1, /* read failed: errno */
	NOTIFY_PIPE_WAIT = 0,   /* read what there was, no newline yet: keep polling */
	NOTIFY_PIPE_READY = 1,  /* a newline came: ready; runsv closes rfd */
	NOTIFY_PIPE_EOF = 2,    /* every write end closed without a newline:
	                           never ready in this run; runsv closes rfd */
};
/* runsv, when rfd polls readable: drains it (bounded: at most 64 KiB per
 * call, so a chatty service cannot hold runsv; a full 64 KiB without a
 * newline returns NOTIFY_PIPE_WAIT and poll wakes runsv again). Bytes
 * before the newline are discarded, as in s6. */
int notify_pipe_read(int rfd);

/* ---------------------------------------------------------------------
 * sd_notify: a datagram socket; ./run finds it in NOTIFY_SOCKET.
 */
#define NOTIFY_FILE "notify"         /* the flag file in the service directory */
#define NOTIFY_SOCKET_PATH "supervise/notify" /* the socket, relative to the service */
#define NOTIFY_SUN_MAX (sizeof ((struct sockaddr_un *)0)->sun_path) /* 108 on Linux */
#define NOTIFY_ENV_MAX (sizeof "NOTIFY_SOCKET=" + NOTIFY_SUN_MAX)

struct notify_socket {
	int fd;        /* SOCK_DGRAM, non-blocking, close-on-exec, SO_PASSCRED; -1 closed */
	int in_rundir; /* bound in the runtime directory (the file is env's value) */
	int pidfds;    /* SO_PASSPIDFD took (Linux 6.5+): each datagram brings
	                  its sender's pidfd (SCM_PIDFD) */
	char env[NOTIFY_ENV_MAX]; /* "NOTIFY_SOCKET=VALUE" for ./run's environment */
};

/*
 * Where the socket is (the rule runsv.8 documents). Its value must
 * survive a rename of the service directory, or of any directory above
 * it, while runsv and ./run keep running, and no other user may take its
 * name first:
 *
 *   - with rundir (runsv: NOTIFY_RUNDIR, when it exists), the file
 *     RUNDIR/DEV.INO, DEV and INO the lower-case hex st_dev and st_ino
 *     of the directory that holds PATH (supervise/, symlinks followed):
 *     unique among live runsvs (one runsv per supervise/, by its lock),
 *     and outside the service tree, so no rename reaches it. Each
 *     directory of RUNDIR must exist (nothing is made: the system makes
 *     it, as root) and be a real directory owned by root or runsv's user
 *     and writable by no one else (EPERM otherwise): nobody else can put
 *     a socket there first. A ./run that changes user (chpst -u) reaches
 *     it;
 *   - without rundir (or when RUNDIR is missing or unsafe), the file PATH relative to the current directory, whatever
 *     its length, and NOTIFY_SOCKET is /proc/PID/cwd/PATH, PID runsv's:
 *     the kernel follows runsv's working directory wherever it moves. It
 *     reaches processes allowed to look into runsv's /proc entry (its
 *     own user's; a ./run that changes user cannot). Without /proc, the
 *     absolute path at the time the socket is made.
 *
 * Whatever non-directory is at the name is removed first (the socket of
 * a runsv that died). The socket file gets mode 0666: the sender check
 * (below) decides whom runsv believes. No abstract name is ever used: any
 * local user can take one first.
 *
 * 0, or -1 with errno (ns->fd is then -1 and nothing is left behind).
 */
#define NOTIFY_RUNDIR "/run/runit-ng/notify"
int notify_socket_open(struct notify_socket *ns, const char *path, const char *rundir);
/* Closes the socket and unlinks its file (PATH, or the one in the
 * runtime directory). Harmless when already closed. */
void notify_socket_close(struct notify_socket *ns, const char *path);

/* "WATCHDOG_USEC=N" for ./run, N = ms * 1000; returns the length.
 * (sd_watchdog_enabled also honours WATCHDOG_PID when set; runsv does
 * not set it, so the whole of ./run's tree may ping.) */
#define NOTIFY_WATCHDOG_ENV_MAX (sizeof "WATCHDOG_USEC=" + 20)
size_t notify_watchdog_env(char out[NOTIFY_WATCHDOG_ENV_MAX], unsigned long ms);

/* ---------------------------------------------------------------------
 * Messages.
 *
 * A datagram is lines separated by "\n" (a final "\n" is optional), each
 * KEY=VALUE; a KEY is everything before the first "=". Understood:
 *
 *   READY=1       ready                         NOTIFY_READY
 *   STOPPING=1    the service is stopping        NOTIFY_STOPPING
 *   RELOADING=1   the service is reloading       NOTIFY_RELOADING
 *   WATCHDOG=1    a watchdog ping                NOTIFY_WATCHDOG
 *   WATCHDOG=trigger  fail the watchdog now      NOTIFY_WATCHDOG_TRIGGER
 *   STATUS=TEXT   free text, may be empty        NOTIFY_STATUS
 *   MAINPID=N     decimal pid > 0 (fits pid_t)   NOTIFY_MAINPID
 *
 * Anything else is ignored line by line and counted in `ignored`: an
 * unknown key (BARRIER=1, FDSTORE=1, ERRNO=..., MONOTONIC_USEC=...), a line
 * without "=", an empty line, a known key with another value ("READY=0",
 * "READY=1 ", "MAINPID=12x", "READY=1\r"). A key given twice: the last one
 * understood counts (STATUS=a then STATUS=b: b; MAINPID=5 then MAINPID=x:
 * 5). The values are exact: no blanks are trimmed.
 *
 * A datagram is refused whole (notify_parse returns -1, nothing of it
 * counts) when it is longer than NOTIFY_DGRAM_MAX or holds a NUL byte:
 * such a datagram was not written for sd_notify, and half of it would be a
 * guess.
 */
#define NOTIFY_DGRAM_MAX 4096 /* sd_notify's own bound (PIPE_BUF) */

enum {
	NOTIFY_READY = 1 << 0,
	NOTIFY_STOPPING = 1 << 1,
	NOTIFY_RELOADING = 1 << 2,
	NOTIFY_WATCHDOG = 1 << 3,
	NOTIFY_WATCHDOG_TRIGGER = 1 << 4,
	NOTIFY_STATUS = 1 << 5,
	NOTIFY_MAINPID = 1 << 6,
};

struct notify_msg {
	unsigned what;       /* NOTIFY_* bits */
	pid_t mainpid;       /* with NOTIFY_MAINPID */
	const char *status;  /* with NOTIFY_STATUS: points into the datagram, */
	size_t status_len;   /* not NUL-terminated (svinfo_set_text takes it) */
	unsigned ignored;    /* lines not understood */
	pid_t pid;           /* the sender, from SCM_CREDENTIALS (notify_recv) */
	uid_t uid;
	gid_t gid;
};

/* Parses buf[0..len) into m (m->pid, uid, gid are set to 0, -1, -1).
 * 0, or -1 when the datagram is refused whole. Pure; never reads past len. */
int notify_parse(const char *buf, size_t len, struct notify_msg *m);

/* ---------------------------------------------------------------------
 * Who speaks for the service.
 */
struct notify_sender {
	pid_t root;          /* ./run's pid; 0 while it does not run: nobody is believed */
	const char *cgroup;  /* the service's cgroup as /proc/PID/cgroup names it
	                        (struct cgroup's rel, e.g. "/sshd@803-1a2b"), or
	                        NULL without kill-tree's cgroup */
	/* notify_recv's memory of the last sender it refused, kept from one
	 * call to the next: its pid (0 none), the root it was refused under,
	 * and a pidfd of that process (its SCM_PIDFD, else one opened before
	 * the check). While that process lives the pid names it, so its next
	 * datagrams are refused at the cost of one pidfd_send_signal(0), not a
	 * read of /proc. Zero it to begin; notify_sender_forget() ends it. */
	pid_t refused, refused_root;
	int refused_fd;
};
/* Closes what notify_recv remembers of a refused sender. */
void notify_sender_forget(struct notify_sender *who);

/*
 * Is pid part of the service? Yes when either holds:
 *   - who->cgroup is set and pid's cgroup v2 (the "0::" line of
 *     /proc/PID/cgroup) is who->cgroup or below it;
 *   - pid is who->root, or walking the parents from pid (the 4th field of
 *     /proc/PID/stat, after the last ')') reaches who->root before pid 1,
 *     pid 0, runsv itself or 4096 steps.
 * A process that double-forked and was reparented (to pid 1 or to a
 * subreaper) has left ./run's tree: only the cgroup still knows it, so
 * without kill-tree's cgroup such a daemon is not believed. A sender that
 * has already exited and been reaped when runsv reads its datagram cannot
 * be checked and is not believed either (shell scripts: use
 * notification-fd, or a sender that waits, such as systemd-notify, which
 * sends for its parent and waits on a barrier). 1 yes, 0 no.
 */
int notify_in_service(pid_t pid, const struct notify_sender *who);
/*
 * MAINPID=pid: a pidfd (close-on-exec) of pid when it is part of the
 * service (notify_in_service), else -1 with errno (ESRCH: not in the
 * service, or gone; ENOSYS: no pidfd on this kernel). The pidfd is opened
 * first, the check made then, and the process must still be alive after
 * it: the check reads /proc/PID, which names whoever has the pid at that
 * moment, and only a process alive after the check proves that the pid
 * was not reused meanwhile, i.e. that the check was about the process
 * the pidfd holds.
 */
int notify_main_open(pid_t pid, const struct notify_sender *who);
/* Sends sig (0: only the liveness check) to the process of a pidfd; 0, or
 * -1 with errno (ESRCH once it has ended). */
int notify_main_signal(int fd, int sig);
/* The parent pid in a /proc/PID/stat line, or -1 if malformed. Pure. */
pid_t notify_stat_ppid(const char *buf, size_t len);
/* Is the "0::" line of a /proc/PID/cgroup text naming cg or a cgroup
 * below it? 1 yes, 0 no. Pure. */
int notify_cgroup_match(const char *buf, size_t len, const char *cg);

enum notify_recv_result {
	NOTIFY_RECV_ERROR = -1,   /* recvmsg failed: errno */
	NOTIFY_RECV_AGAIN = 0,    /* nothing left to read */
	NOTIFY_RECV_OK = 1,       /* *m holds a message from the service */
	NOTIFY_RECV_DROPPED = 2,  /* one datagram read and ignored; *why says why */
};

/*
 * runsv, when the socket polls readable: receives ONE datagram into buf,
 * parses it and checks its sender. Call it until NOTIFY_RECV_AGAIN.
 *
 * Dropped (*why, static text): longer than NOTIFY_DGRAM_MAX ("too large":
 * MSG_TRUNC shows the real size; the datagram is dropped whole, never
 * parsed in part), no SCM_CREDENTIALS ("no credentials"), refused by
 * notify_parse ("malformed"), a sender outside the service ("sender not
 * in the service").
 *
 * On NOTIFY_RECV_OK *why is NULL. A MAINPID= is passed on unchecked:
 * the caller checks it with notify_main_open.
 *
 * Descriptors sent along (SCM_RIGHTS: sd_notify's FDSTORE, the barrier of
 * systemd-notify) are closed before returning, after the sender check, so
 * a barrier's waiter wakes only once runsv has read the message. They are
 * received close-on-exec and never kept.
 *
 * No allocation; buf must hold NOTIFY_DGRAM_MAX bytes; m->status points
 * into buf. Rate of warnings is runsv's business: a foreign sender can
 * send as much as it likes.
 */
int notify_recv(int fd, char buf[NOTIFY_DGRAM_MAX], struct notify_sender *who,
    struct notify_msg *m, const char **why);
#endif
