/* runsv.c: supervises one service directory (./run, ./finish) and its optional log service. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "diag.h"
#include "io.h"
#include "loop.h"
#include "num.h"
#include "status.h"
#include "svinfo.h"
#include "tai.h"

extern char **environ;

/*
 * One slot is one supervised program: the main service or its log service.
 *
 * States (enum sv_state, as recorded on disk):
 *   DOWN    no child is wanted running (a child killed by `k` may still be
 *           waiting to be reaped: that is runit's `k` quirk, kept on purpose)
 *   RUN     ./run is running
 *   FINISH  ./finish is running or about to be started (main slot only)
 *
 * Events and transitions (each is one visible assignment below):
 *   start ./run        DOWN   -> RUN     stamp := now, flags cleared
 *   start ./finish     FINISH -> FINISH  stamp kept, flags cleared
 *   child exit         RUN    -> FINISH  if ./finish exists (main slot)
 *                      RUN    -> DOWN    otherwise; hold 1 s if it ran < 1 s
 *                      FINISH -> DOWN    hold 1 s if run+finish took < 1 s
 *                      DOWN   -> FINISH  (after `k`) if ./finish exists
 *   control byte       see the command table; only `k` changes the state
 *   SIGTERM            as control byte `x` on the main slot
 *   hold timer expiry  DOWN: the slot may be started again
 */
struct slot {
	const char *dir; /* "supervise" or "log/supervise", relative to the service */
	int is_log;
	enum sv_state state;
	enum sv_want want;
	pid_t pid;
	int paused;        /* SIGSTOP sent by `p` */
	int term;          /* SIGTERM sent and the child not yet reaped */
	int start_pending; /* `o` asked for one start that has not happened yet */
	int wstat;         /* wait status of the last ./run, for ./finish's arguments */
	struct tain stamp;   /* last ./run start, or when the slot became down */
	long long run_ms;    /* monotonic time of the last ./run start */
	long long hold_ms;   /* monotonic time before which no start happens; 0 none */
	int ctl_r, ctl_w, ok_fd, lock_fd;
	int dir_fd; /* the supervise directory, where status files are replaced */
	int child_is_finish; /* the running child is ./finish, whatever the state says */
	struct svinfo info;  /* supervise/info; pid and since are filled in when written */
};

/* Side effects the transitions ask for; the fuzz harness supplies fakes. */
struct effects {
	void (*update)(struct slot *);         /* rewrite pid, stat, status */
	void (*signal)(struct slot *, int);    /* kill(child, sig) */
	int (*custom)(struct slot *, int);     /* control/X ran and exited 0 */
	int (*finish_exists)(void);            /* ./finish can be opened */
};

#define HOLD_AFTER_QUICK_EXIT_MS 1000 /* the 1-second rule */
#define HOLD_AFTER_FORK_FAILURE_MS 5000

/* runit keeps one "pid changed" flag for both slots; see formats.md §2.3. */
static int pid_changed = 1;

/* What a control byte does, applied in this order: want, signal if running
 * (unless control/X overrides), pause flag, forced down, status update,
 * start if down, stop sequence if running. */
enum {
	CMD_MAIN_ONLY = 1 << 0,     /* ignored on the log slot */
	CMD_SIGNAL = 1 << 1,        /* send sig if state is RUN and not overridden */
	CMD_PAUSE_ON = 1 << 2,
	CMD_PAUSE_OFF = 1 << 3,
	CMD_FORCE_DOWN = 1 << 4,    /* state := DOWN without a status update (`k`) */
	CMD_UPDATE = 1 << 5,
	CMD_START_IF_DOWN = 1 << 6,
	CMD_STOP_IF_RUN = 1 << 7,
	CMD_NO_START = 1 << 8,      /* cancels a pending `o` start */
};

static const struct command {
	char byte;
	signed char want; /* new want, or -1 to keep it */
	unsigned short what; /* the signal comes from control_signal() */
} commands[] = {
	{ CTL_UP, WANT_UP, CMD_UPDATE | CMD_START_IF_DOWN },
	{ CTL_ONCE, WANT_DOWN, CMD_UPDATE | CMD_START_IF_DOWN },
	{ CTL_DOWN, WANT_DOWN, CMD_NO_START | CMD_UPDATE | CMD_STOP_IF_RUN },
	{ CTL_EXIT, WANT_EXIT, CMD_MAIN_ONLY | CMD_NO_START | CMD_UPDATE | CMD_STOP_IF_RUN },
	{ CTL_TERM, -1, CMD_STOP_IF_RUN },
	{ CTL_KILL, -1, CMD_SIGNAL | CMD_FORCE_DOWN },
	{ CTL_PAUSE, -1, CMD_SIGNAL | CMD_PAUSE_ON | CMD_UPDATE },
	{ CTL_CONT, -1, CMD_SIGNAL | CMD_PAUSE_OFF | CMD_UPDATE },
	{ CTL_ALRM, -1, CMD_SIGNAL },
	{ CTL_HUP, -1, CMD_SIGNAL },
	{ CTL_INT, -1, CMD_SIGNAL },
	{ CTL_QUIT, -1, CMD_SIGNAL },
	{ CTL_USR1, -1, CMD_SIGNAL },
	{ CTL_USR2, -1, CMD_SIGNAL },
};

/* TERM unless control/t handles it; then CONT and control/d or control/x
 * when the service is wanted down or gone. */
static void stop_sequence(struct slot *s, const struct effects *fx)
{
	if (s->pid && !fx->custom(s, CTL_TERM)) {
		fx->signal(s, SIGTERM);
		s->term = 1;
		fx->update(s);
	}
	if (s->want == WANT_DOWN) {
		if (s->pid)
			fx->signal(s, SIGCONT);
		(void)fx->custom(s, CTL_DOWN);
	} else if (s->want == WANT_EXIT) {
		if (s->pid)
			fx->signal(s, SIGCONT);
		(void)fx->custom(s, CTL_EXIT);
	}
}

/* Applies one control byte; unknown bytes do nothing. */
static void slot_command(struct slot *s, int c, const struct effects *fx)
{
	const struct command *cmd = 0;
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (commands[i].byte == c)
			cmd = &commands[i];
	if (!cmd || (s->is_log && (cmd->what & CMD_MAIN_ONLY)))
		return;
	if (cmd->want >= 0)
		s->want = (enum sv_want)cmd->want;
	if (cmd->what & CMD_NO_START)
		s->start_pending = 0;
	if ((cmd->what & CMD_SIGNAL) && s->state == SV_RUN && s->pid &&
	    !fx->custom(s, c))
		fx->signal(s, control_signal(c));
	if (cmd->what & CMD_PAUSE_ON)
		s->paused = 1;
	if (cmd->what & CMD_PAUSE_OFF)
		s->paused = 0;
	if (cmd->what & CMD_FORCE_DOWN)
		s->state = SV_DOWN;
	if (cmd->what & CMD_UPDATE)
		fx->update(s);
	if ((cmd->what & CMD_START_IF_DOWN) && s->state == SV_DOWN)
		s->start_pending = 1;
	if ((cmd->what & CMD_STOP_IF_RUN) && s->state == SV_RUN)
		stop_sequence(s, fx);
}

/* The slot's child was reaped. */
static void slot_child_exit(struct slot *s, int wstat, const struct tain *now,
    long long now_ms, const struct effects *fx)
{
	s->pid = 0;
	pid_changed = 1;
	s->term = 0;
	if (!s->child_is_finish) {
		svinfo_set_exit(&s->info, wstat, now);
		s->info.ready = 0;
	}
	s->child_is_finish = 0;
	if (!s->is_log) {
		s->wstat = wstat;
		if (s->state != SV_FINISH && fx->finish_exists()) {
			s->state = SV_FINISH;
			fx->update(s);
			return;
		}
	}
	s->state = SV_DOWN;
	s->stamp = *now;
	fx->update(s);
	if (now_ms < s->run_ms + HOLD_AFTER_QUICK_EXIT_MS)
		s->hold_ms = now_ms + HOLD_AFTER_QUICK_EXIT_MS;
}

/* Should the loop start this slot's ./run or ./finish now? */
static int slot_should_start(const struct slot *s, long long now_ms)
{
	if (s->pid || (s->hold_ms && now_ms < s->hold_ms))
		return 0;
	return s->want == WANT_UP || s->state == SV_FINISH || s->start_pending;
}

/* A child was forked for the slot: ./finish if state is FINISH, else ./run. */
static void slot_started(struct slot *s, pid_t pid, const struct tain *now,
    long long now_ms, const struct effects *fx)
{
	s->child_is_finish = s->state == SV_FINISH;
	if (s->state != SV_FINISH) {
		s->state = SV_RUN;
		s->stamp = *now;
		s->run_ms = now_ms;
		s->start_pending = 0;
		s->info.starts++;
	}
	s->pid = pid;
	pid_changed = 1;
	s->paused = 0;
	s->term = 0;
	s->hold_ms = 0;
	fx->update(s);
}

static void slot_record(const struct slot *s, struct sv_status *st)
{
	st->stamp = s->stamp;
	st->pid = (uint32_t)s->pid;
	st->paused = (unsigned char)s->paused;
	st->want = status_want_byte(s->want);
	st->term = (unsigned char)s->term;
	st->state = (unsigned char)s->state;
}

#ifndef RUNSV_NO_SYSTEM /* the fuzz harness stops here */

static struct slot slots[2]; /* [0] main, [1] log */
static int log_enabled;
static int logpipe[2] = { -1, -1 };

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Replaces DIR/NAME; warns in runit's words. Returns status_replace's step. */
static int replace_file(const struct slot *s, const char *name, const void *data, size_t len)
{
	int r = status_replace_at(s->dir_fd, name, data, len);

	switch (r) {
	case 1:
		warn(errno, "unable to open ", s->dir, "/", name, ".new");
		break;
	case 2:
		warn(errno, "unable to write ", s->dir, "/", name, ".new");
		break;
	case 3:
		warn(DIAG_NOERR, "unable to write ", s->dir, "/", name, ".new: partial write.");
		break;
	case 4:
		warn(errno, "unable to rename ", name, ".new to ", s->dir, "/", name);
		break;
	}
	return r;
}

/* supervise/info: what status cannot hold, with status's pid and stamp so
 * that readers can tell it belongs to the record they read. */
static void update_info(struct slot *s)
{
	char buf[SVINFO_MAX];

	s->info.pid = (uint32_t)s->pid;
	s->info.since = s->stamp;
	(void)replace_file(s, SVINFO_FILE, buf, svinfo_format(buf, &s->info));
}

/* pid (when it changed), then stat, then info, then status; a pid or stat
 * file that cannot be created abandons the rest of this update, as runit
 * does (info is ours: its failure does not hold back status). */
static void update_status(struct slot *s)
{
	char line[STAT_LINE_MAX > FMT_ULONG + 1 ? STAT_LINE_MAX : FMT_ULONG + 1];
	unsigned char rec[STATUS_SIZE];
	struct sv_status st;
	size_t len = 0;
	int r;

	if (pid_changed) {
		if (s->pid) {
			len = fmt_ulong(line, (unsigned long)s->pid);
			line[len++] = '\n';
		}
		if (replace_file(s, "pid", line, len) != 0)
			return;
		pid_changed = 0;
	}
	len = status_stat_line(line, s->state, s->paused, s->term, s->want);
	r = replace_file(s, "stat", line, len);
	if (r == 1)
		return;
	update_info(s);
	slot_record(s, &st);
	status_pack(rec, &st);
	(void)replace_file(s, "status", rec, sizeof rec);
}

static void send_signal(struct slot *s, int sig)
{
	if (s->pid)
		kill(s->pid, sig);
}

/* Runs control/C synchronously; 1 when it exists, is executable and exited 0. */
static int run_custom(struct slot *s, int c)
{
	char path[] = "control/?";
	char *argv[] = { path, 0 };
	struct stat st;
	pid_t pid;
	int w;

	if (s->is_log)
		return 0;
	path[sizeof path - 2] = (char)c;
	if (stat(path, &st) < 0) {
		if (errno != ENOENT)
			warn(errno, "unable to stat ", path);
		return 0;
	}
	if (!(st.st_mode & S_IXUSR))
		return 0;
	pid = fork();
	if (pid < 0) {
		warn(errno, "unable to fork for ", path);
		return 0;
	}
	if (pid == 0) {
		loop_child_signals();
		if (log_enabled && (logpipe[1] < 0 || dup2(logpipe[1], 1) < 0))
			warn(logpipe[1] < 0 ? EBADF : errno, "unable to setup stdout for ", path);
		execve(path, argv, environ);
		die(111, errno, "unable to run control/?");
	}
	while (waitpid(pid, &w, 0) < 0)
		if (errno != EINTR) {
			warn(errno, "unable to wait for child ", path);
			return 0;
		}
	return WIFEXITED(w) && WEXITSTATUS(w) == 0;
}

static int finish_exists(void)
{
	int fd = open("finish", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static const struct effects system_effects = {
	update_status, send_signal, run_custom, finish_exists,
};

/* In the forked child: wire the log pipe and exec ./run or ./finish. */
static _Noreturn void exec_child(struct slot *s, int finish)
{
	char a1[FMT_ULONG + 1], a2[FMT_ULONG];
	char *argv[4] = { "./run", 0, 0, 0 };

	loop_child_signals();
	if (s->is_log) {
		if (chdir("./log") < 0)
			die(111, errno, "unable to change directory to ./log");
		if (dup2(logpipe[0], 0) < 0)
			die(111, errno, "unable to setup filedescriptor for ./log/run");
		execve("./run", argv, environ);
		die(111, errno, "unable to start log/./run");
	}
	if (log_enabled && dup2(logpipe[1], 1) < 0)
		die(111, errno, "unable to setup filedescriptor for ./run");
	if (finish) {
		if (WIFSIGNALED(s->wstat)) {
			strcpy(a1, "-1");
		} else
			fmt_ulong(a1, (unsigned long)WEXITSTATUS(s->wstat));
		fmt_ulong(a2, (unsigned long)(s->wstat & 0xff));
		argv[0] = "./finish";
		argv[1] = a1;
		argv[2] = a2;
		execve("./finish", argv, environ);
		die(111, errno, "unable to start ./finish");
	}
	execve("./run", argv, environ);
	die(111, errno, "unable to start ./run");
}

static void start_slot(struct slot *s)
{
	int finish = s->state == SV_FINISH;
	struct tain now;
	pid_t pid;

	if (!s->is_log && !finish)
		(void)run_custom(s, CTL_UP);
	pid = fork();
	if (pid < 0) {
		warn(errno, "unable to fork, sleeping");
		s->hold_ms = mono_ms() + HOLD_AFTER_FORK_FAILURE_MS;
		return;
	}
	if (pid == 0)
		exec_child(s, finish);
	tain_now(&now);
	slot_started(s, pid, &now, mono_ms(), &system_effects);
}

/* mkdir NAME, or if it is a symlink, mkdir its target (relative to the cwd). */
static void make_supervise_dir(const char *name)
{
	char target[256];
	ssize_t n;

	if (mkdir(name, 0700) == 0)
		return;
	n = readlink(name, target, sizeof target);
	if (n < 0) {
		if (errno == ENOENT || errno == EINVAL)
			return;
		die(111, errno, "unable to readlink ./", name);
	}
	if ((size_t)n >= sizeof target)
		die(111, DIAG_NOERR, "unable to readlink ./", name, ": name too long");
	target[n] = 0;
	(void)mkdir(target, 0700);
}

static void open_lock(struct slot *s, int wait)
{
	char path[32];

	strcpy(path, s->dir);
	strcat(path, "/lock");
	s->lock_fd = lock_open(path);
	if (s->lock_fd < 0)
		die(111, errno, "unable to open ", path);
	if (lock_take(s->lock_fd, wait) < 0)
		die(111, errno, "unable to lock ", path);
	s->dir_fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0)
		die(111, errno, "unable to open ", s->dir);
}

static void open_control(struct slot *s)
{
	char path[32];
	struct stat st;

	strcpy(path, s->dir);
	strcat(path, "/control");
	if (mkfifo(path, 0600) < 0 && errno != EEXIST) {
		/* the stat below reports the problem */
	}
	if (stat(path, &st) < 0)
		die(111, errno, "unable to stat ", path);
	if (!S_ISFIFO(st.st_mode))
		die(111, DIAG_NOERR, path, " exists but is not a fifo");
	s->ctl_r = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->ctl_r < 0)
		die(111, errno, "unable to open ", path);
	s->ctl_w = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->ctl_w < 0)
		die(111, errno, "unable to open ", path);
}

static void open_ok(struct slot *s)
{
	char path[32];

	strcpy(path, s->dir);
	strcat(path, "/ok");
	(void)mkfifo(path, 0600);
	s->ok_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->ok_fd < 0)
		die(111, errno, "unable to read ", path);
}

static void init_slot(struct slot *s, const char *dir, int is_log, const char *downfile)
{
	struct stat st;

	s->dir = dir;
	s->is_log = is_log;
	s->state = SV_DOWN;
	s->want = stat(downfile, &st) == 0 ? WANT_DOWN : WANT_UP;
	tain_now(&s->stamp);
	s->run_ms = -HOLD_AFTER_QUICK_EXIT_MS;
	s->ctl_r = s->ctl_w = s->ok_fd = s->lock_fd = s->dir_fd = -1;
}

/* Startup in the order of formats.md §2.9: ok is opened last, so clients
 * see runsv as alive only once the status files exist. */
static void setup(const char *service)
{
	struct stat st;
	int here;

	if (chdir(service) < 0)
		die(111, errno, "unable to change to directory");
	init_slot(&slots[0], "supervise", 0, "down");
	if (stat("log", &st) < 0) {
		if (errno != ENOENT)
			warn(errno, "unable to stat() ./log: ");
	} else if (!S_ISDIR(st.st_mode)) {
		warn(DIAG_NOERR, "./log: not a directory.");
	} else {
		log_enabled = 1;
		init_slot(&slots[1], "log/supervise", 1, "log/down");
		if (pipe2(logpipe, O_CLOEXEC) < 0)
			die(111, errno, "unable to create log pipe");
	}
	make_supervise_dir("supervise");
	open_lock(&slots[0], 0);
	if (log_enabled) {
		here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (here < 0)
			die(111, errno, "unable to open current directory");
		if (chdir("./log") < 0)
			die(111, errno, "unable to change directory to ./log");
		make_supervise_dir("supervise");
		if (fchdir(here) < 0)
			die(111, errno, "unable to change back to service directory");
		close(here);
		open_lock(&slots[1], 1);
	}
	open_control(&slots[0]);
	update_status(&slots[0]);
	if (log_enabled) {
		open_control(&slots[1]);
		update_status(&slots[1]);
	}
	open_ok(&slots[0]);
	if (log_enabled)
		open_ok(&slots[1]);
}

/* Reads at most one command byte, as runit does per loop turn. */
static void serve_control(struct slot *s, short revents)
{
	unsigned char c;

	if (!(revents & POLLIN))
		return;
	if (read_intr(s->ctl_r, &c, 1) == 1)
		slot_command(s, c, &system_effects);
}

static void reap_children(void)
{
	struct tain now;
	pid_t pid;
	int w, i;

	while ((pid = waitpid(-1, &w, WNOHANG)) > 0) {
		tain_now(&now);
		for (i = 0; i < 1 + log_enabled; i++)
			if (slots[i].pid == pid)
				slot_child_exit(&slots[i], w, &now, mono_ms(), &system_effects);
	}
}

/* Main down after `x`: exit at once without a log service, else let the
 * log service drain the pipe to EOF and exit when it is gone. */
static void check_exit(void)
{
	struct slot *m = &slots[0], *l = &slots[1];

	if (m->want != WANT_EXIT || m->state != SV_DOWN)
		return;
	if (!log_enabled || !l->pid)
		_exit(0);
	if (logpipe[0] < 0)
		return;
	l->want = WANT_EXIT;
	update_status(l);
	if (close(logpipe[1]) < 0)
		warn(errno, "unable to close logpipe[1]");
	if (close(logpipe[0]) < 0)
		warn(errno, "unable to close logpipe[0]");
	logpipe[0] = logpipe[1] = -1;
}

/* Milliseconds until the next hold ends, or -1 to sleep until an event. */
static int poll_timeout(long long now_ms)
{
	long long next = -1;
	int i;

	for (i = 0; i < 1 + log_enabled; i++) {
		long long h = slots[i].hold_ms;
		if (h && (next < 0 || h < next))
			next = h;
	}
	if (next < 0)
		return -1;
	return next <= now_ms ? 0 : (int)(next - now_ms);
}

int main(int argc, char **argv)
{
	struct pollfd pfd[3];
	sigset_t set;
	static char short_prefix[256];
	char *prefix;
	size_t len;
	int sigfd, got_term, sig, i;
	long long now_ms;

	if (argc != 2 || !argv[1])
		die_usage(1, argc > 0 && argv[0] ? argv[0] : "runsv", "dir");
	/* Usual names fit a small static buffer: an idle runsv keeps no heap. */
	len = strlen(argv[1]) + sizeof "runsv ";
	prefix = len <= sizeof short_prefix ? short_prefix : malloc(len);
	if (!prefix)
		die(111, errno, "out of memory");
	strcpy(prefix, "runsv ");
	strcat(prefix, argv[1]);
	diag_prefix = prefix;

	/* An inherited SIG_IGN would auto-reap children or reach ./run. */
	signal(SIGCHLD, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigfd = loop_signals(&set);
	if (sigfd < 0)
		die(111, errno, "unable to create selfpipe");

	setup(argv[1]);

	pfd[0].fd = sigfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = slots[0].ctl_r;
	pfd[1].events = POLLIN;
	pfd[2].fd = log_enabled ? slots[1].ctl_r : -1;
	pfd[2].events = POLLIN;
	for (;;) {
		now_ms = mono_ms();
		for (i = 1 + log_enabled; i-- > 0;) {
			if (slots[i].hold_ms && now_ms >= slots[i].hold_ms)
				slots[i].hold_ms = 0;
			if (slot_should_start(&slots[i], now_ms))
				start_slot(&slots[i]);
		}
		pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		if (loop_poll(pfd, 3, poll_timeout(mono_ms())) < 0)
			die(111, errno, "unable to poll");

		got_term = 0;
		while ((sig = loop_next_signal(sigfd)) != 0)
			if (sig == SIGTERM)
				got_term = 1;
		reap_children();
		serve_control(&slots[0], pfd[1].revents);
		if (log_enabled)
			serve_control(&slots[1], pfd[2].revents);
		if (got_term)
			slot_command(&slots[0], CTL_EXIT, &system_effects);
		check_exit();
	}
}

#endif /* RUNSV_NO_SYSTEM */
