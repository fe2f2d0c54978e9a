/* runit.c: process no. 1: runs the stages, honours the stop-it/reboot/ctrl-alt-del protocol, reaps orphans, then halts, reboots or (in a container) exits. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "loop.h"
#include "num.h"
#include "procscan.h"
#include "runitpaths.h"
#include "version.h"

/* Container mode: how long everything left after stage 3 gets between TERM and KILL. */
#ifndef RUNIT_TERM_GRACE_MS
#define RUNIT_TERM_GRACE_MS 3000
#endif
#define STOP_GRACE_MS 5000    /* stage 2 after TERM, before KILL */
/* After stage 3: the runsv processes still there get TERM and this long to
 * stop their services, in reverse order of their needs (runsv.8), before
 * the final TERM or KILL to all. */
#define RUNSV_STOP_MS 6000
#define RESTART_DELAY_MS 5000 /* stage 2 died with 111 or a signal */
#define FORK_RETRY_MS 5000

extern char **environ;

static const char *const stage_path[3] = {
	RUNIT_DIR "/1", RUNIT_DIR "/2", RUNIT_DIR "/3"
};

enum state {
	STAGE1,       /* stage 1 running (or waiting to retry its fork) */
	STAGE2,       /* stage 2 running (or waiting to retry its fork) */
	STAGE2_STOP,  /* stage 2 sent TERM on request; KILL at the deadline */
	STAGE2_PAUSE, /* stage 2 died with 111 or a signal; restart at the deadline */
	STAGE3,       /* stage 3 running (or waiting to retry its fork) */
	STOP_RUNSV,   /* every runsv left was sent TERM; final shutdown when none is left */
	DRAIN,        /* container: all TERMed; KILL at the deadline; exit when none left */
	HALTED,       /* reboot/halt requested; nothing left to do but reap */
};

/*
 * state         event                              action                          next
 * STAGE1        exit 100, signal death, or asked   "skipping stage 2...", run 3    STAGE3
 * STAGE1        any other exit                     run stage 2                     STAGE2
 * STAGE1        TERM (container) or PWR            TERM stage 1, mark asked        STAGE1
 * STAGE2        exit 111 or signal death           KILL its group, 5 s timer       STAGE2_PAUSE
 * STAGE2        any other exit                     run stage 3                     STAGE3
 * STAGE2        CONT+stopit, TERM (container), PWR TERM stage 2, 5 s timer         STAGE2_STOP
 * STAGE2_PAUSE  the same requests                  run stage 3                     STAGE3
 * STAGE2_PAUSE  timer                              "restarting.", run stage 2      STAGE2
 * STAGE2(_PAUSE) INT+ctrlaltdel                    run it; when it ends, as CONT   -
 * STAGE2_STOP   timer                              KILL stage 2                    STAGE2_STOP
 * STAGE2_STOP   exit                               run stage 3                     STAGE3
 * STAGE3        exit, a runsv still runs           TERM every runsv, 6 s timer     STOP_RUNSV
 * STAGE3        exit, container                    TERM+CONT all, 3 s timer        DRAIN
 * STAGE3        exit, otherwise                    KILL all, halt/reboot child     HALTED
 * STOP_RUNSV    no runsv left, or timer            as STAGE3's exit, container     DRAIN
 *                                                  or otherwise                    HALTED
 * DRAIN         timer                              KILL all                        DRAIN
 * DRAIN         no child left                      exit with stage 3's status      -
 * STAGE1, 3     CONT or INT                        "signals only work in stage 2." -
 * STAGE1, 2, 3  fork failed                        5 s timer; then fork again      -
 * Orphans are reaped in every state.
 */

static enum state state;
static pid_t stage_pid;        /* the running stage program, 0 when none */
static pid_t cad_pid;          /* the running ctrlaltdel program, 0 when none */
static long long deadline = -1; /* CLOCK_MONOTONIC ms of the next timed event, -1 none */
static int container;          /* SIGTERM means "shut down", and we exit instead of halting */
static int skip_stage2;        /* a shutdown was asked for during stage 1 */
static int exit_code;          /* container mode: what stage 3 returned */

static void info(const char *a, const char *b)
{
	diag(NULL, DIAG_NOERR, a, b);
}

static int owner_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & S_IXUSR);
}

/* O_APPEND so that a console which is really a file (tests, some
 * container runtimes) is not overwritten from the start at each re-open. */
static void console_to_fd2(void)
{
	int fd = open("/dev/console", O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fd != 2) {
		dup2(fd, 2);
		close_fd(fd);
	}
}

static void console_to_fds(void)
{
	int fd = open("/dev/console", O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close_fd(fd);
}

static _Noreturn void child_exec(const char *path, int own_console)
{
	sigset_t none;
	char *argv[2];
	int fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, 0);
	if (own_console) {
		/* Stage 1 may need to ask questions (fsck): give it the console as stdin and ctty. */
		fd = open("/dev/console", O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			warn(errno, "unable to open /dev/console");
		} else {
			(void)ioctl(fd, TIOCSCTTY, 0);
			dup2(fd, 0);
			if (fd > 0)
				close_fd(fd);
		}
	} else {
		setsid();
	}
	info("enter stage: ", path);
	argv[0] = (char *)path;
	argv[1] = 0;
	execve(path, argv, environ);
	/* A missing stage counts as a successful one. */
	die(0, errno, "unable to start child: ", path);
}

/* Returns the pid, or 0 after a failed fork (the caller retries at the deadline). */
static pid_t start_child(const char *path, int own_console)
{
	pid_t pid = fork();

	if (pid < 0) {
		diag("fatal", errno, "unable to fork for \"", path, "\" pausing");
		deadline = loop_mono_ms() + FORK_RETRY_MS;
		return 0;
	}
	if (pid == 0)
		child_exec(path, own_console);
	return pid;
}

static void enter(enum state s)
{
	int n = s == STAGE1 ? 0 : s == STAGE2 ? 1 : 2;

	state = s;
	deadline = -1;
	console_to_fd2();
	stage_pid = start_child(stage_path[n], n == 0);
}

static void do_sync(void)
{
	if (access(RUNIT_NOSYNC, F_OK) != 0)
		sync();
}

/* Runs in a child where possible: in a PID namespace reboot(2) ends the
 * namespace's init, which then reports the request as its wait status. */
static void halt_or_reboot(void)
{
	if (owner_executable(RUNIT_REBOOT)) {
		info("system reboot.", "");
		do_sync();
		reboot(RB_AUTOBOOT);
		return;
	}
	info("power off...", "");
	do_sync();
	reboot(RB_POWER_OFF);
	sleep(2);
	info("system halt.", "");
	do_sync();
	reboot(RB_HALT_SYSTEM);
}

static void shutdown_final(void)
{
	pid_t pid;

	console_to_fd2();
	if (container) {
		/* SIGCONT too: a stopped process would otherwise sit on its TERM until the KILL. */
		info("sending TERM signal to all processes...", "");
		kill(-1, SIGTERM);
		kill(-1, SIGCONT);
		state = DRAIN;
		deadline = loop_mono_ms() + RUNIT_TERM_GRACE_MS;
		return;
	}
	info("sending KILL signal to all processes...", "");
	kill(-1, SIGKILL);
	state = HALTED;
	deadline = -1;
	pid = fork();
	if (pid == 0) {
		halt_or_reboot();
		_exit(0);
	}
	if (pid < 0)
		halt_or_reboot();
}

/* Each runsv stops its service once the services that need it have
 * stopped: TERM to all of them at once, before anything else gets a
 * signal, orders the shutdown by needs. */
static void stop_runsvs(void)
{
	if (procscan_named("runsv", SIGTERM) <= 0) {
		shutdown_final();
		return;
	}
	info("sending TERM signal to every runsv...", "");
	state = STOP_RUNSV;
	deadline = loop_mono_ms() + RUNSV_STOP_MS;
}

static void container_exit(void)
{
	char num[FMT_ULONG];

	fmt_ulong(num, (unsigned long)exit_code);
	info("exit ", num);
	_exit(exit_code);
}

static void leave_stage2_for_stage3(void)
{
	info("leave stage: ", stage_path[1]);
	enter(STAGE3);
}

/* A shutdown request in stage 2: stopit+SIGCONT, or SIGTERM in a container, or SIGPWR. */
static void stop_stage2(void)
{
	if (state == STAGE2_PAUSE || stage_pid == 0) {
		leave_stage2_for_stage3();
		return;
	}
	kill(stage_pid, SIGTERM);
	state = STAGE2_STOP;
	deadline = loop_mono_ms() + STOP_GRACE_MS;
}

static int in_stage2(void)
{
	return state == STAGE2 || state == STAGE2_PAUSE;
}

static void on_cont(void)
{
	if (in_stage2() && owner_executable(RUNIT_STOPIT)) {
		/* Consume the request before acting on it. */
		chmod(RUNIT_STOPIT, 0);
		stop_stage2();
	}
}

static void on_signal(int sig)
{
	switch (sig) {
	case SIGCONT:
	case SIGINT:
		if (state == STAGE1 || state == STAGE3) {
			warn(DIAG_NOERR, "signals only work in stage 2.");
		} else if (sig == SIGCONT) {
			on_cont();
		} else if (in_stage2() && cad_pid == 0 && owner_executable(RUNIT_CTRLALTDEL)) {
			info("ctrl-alt-del request...", "");
			cad_pid = start_child(RUNIT_CTRLALTDEL, 0);
		}
		break;
	case SIGTERM:
	case SIGPWR:
		/* On a real machine nothing sends init SIGTERM but stray scripts. */
		if (sig == SIGTERM && !container)
			break;
		if (state == STAGE1) {
			skip_stage2 = 1;
			if (stage_pid)
				kill(stage_pid, SIGTERM);
		} else if (in_stage2()) {
			stop_stage2();
		}
		break;
	default: /* SIGCHLD: the reaper runs after every wake-up; others are ignored */
		break;
	}
}

static int status_code(int wstat)
{
	return WIFSIGNALED(wstat) ? 128 + WTERMSIG(wstat) : WEXITSTATUS(wstat);
}

static void report_failure(int wstat, const char *path)
{
	if (WIFSIGNALED(wstat))
		warn(DIAG_NOERR, "child crashed: ", path);
	else if (WEXITSTATUS(wstat) != 0)
		warn(DIAG_NOERR, "child failed: ", path);
}

/* The transitions when the stage program ends. */
static void on_stage_exit(pid_t pid, int wstat)
{
	int crashed = WIFSIGNALED(wstat);
	int code = WIFEXITED(wstat) ? WEXITSTATUS(wstat) : 0;

	switch (state) {
	case STAGE1:
		report_failure(wstat, stage_path[0]);
		info("leave stage: ", stage_path[0]);
		if (crashed || code == 100 || skip_stage2) {
			warn(DIAG_NOERR, "skipping stage 2...");
			enter(STAGE3);
		} else {
			enter(STAGE2);
		}
		break;
	case STAGE2:
		report_failure(wstat, stage_path[1]);
		if (crashed || code == 111) {
			warn(DIAG_NOERR, "killing all processes in stage 2...");
			kill(-pid, SIGKILL);
			state = STAGE2_PAUSE;
			deadline = loop_mono_ms() + RESTART_DELAY_MS;
		} else {
			leave_stage2_for_stage3();
		}
		break;
	case STAGE2_STOP:
		leave_stage2_for_stage3();
		break;
	case STAGE3:
		report_failure(wstat, stage_path[2]);
		info("leave stage: ", stage_path[2]);
		exit_code = status_code(wstat);
		stop_runsvs();
		break;
	default:
		break;
	}
}

/* The transitions when a deadline passes. */
static void on_deadline(void)
{
	switch (state) {
	case STAGE1:
	case STAGE2:
	case STAGE3:
		if (stage_pid == 0)
			enter(state);
		break;
	case STAGE2_STOP:
		warn(DIAG_NOERR, "stage 2 not terminated, sending sigkill...");
		kill(stage_pid, SIGKILL);
		break;
	case STAGE2_PAUSE:
		warn(DIAG_NOERR, "restarting.");
		enter(STAGE2);
		break;
	case STOP_RUNSV:
		warn(DIAG_NOERR, "runsv still running after 6 s, going on");
		shutdown_final();
		break;
	case DRAIN:
		info("sending KILL signal to all processes...", "");
		kill(-1, SIGKILL);
		break;
	case HALTED:
		break;
	}
}

static void on_ctrlaltdel_exit(void)
{
	info("leave stage: ", RUNIT_CTRLALTDEL);
	on_cont();
}

/* Reaps every child that has ended, orphans included. */
static void reap(void)
{
	pid_t pid;
	int wstat;

	for (;;) {
		pid = waitpid(-1, &wstat, WNOHANG);
		if (pid == 0)
			return;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				warn(errno, "wait_nohang");
			else if (state == DRAIN)
				container_exit();
			return;
		}
		if (pid == stage_pid) {
			stage_pid = 0;
			on_stage_exit(pid, wstat);
		} else if (pid == cad_pid) {
			cad_pid = 0;
			on_ctrlaltdel_exit();
		}
	}
}

/* Whatever launched us (a shell, a container runtime) may have left signals
 * ignored, and exec keeps that; the stages and everything they start must
 * begin clean. */
static void default_dispositions(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL }, old;
	int sig;

	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, 0, &old) == 0 && old.sa_handler == SIG_IGN)
			(void)sigaction(sig, &sa, 0);
}

static int open_signals(void)
{
	static const int sigs[] = {
		SIGALRM, SIGCHLD, SIGCONT, SIGHUP, SIGINT, SIGPIPE, SIGTERM, SIGPWR
	};
	sigset_t set;
	size_t i;
	int fd;

	sigemptyset(&set);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&set, sigs[i]);
	while ((fd = loop_signals(&set)) < 0) {
		diag("fatal", errno, "unable to create selfpipe, pausing");
		sleep(5);
	}
	return fd;
}

/* The kernel tells us: asking it to deliver Ctrl-Alt-Del to us fails with
 * EINVAL in a child PID namespace, and with EPERM without CAP_SYS_BOOT; either
 * way we cannot halt the machine, so we are a container's init. The flag
 * files override the guess. */
static int detect_container(int cad_failed)
{
	if (access(RUNIT_NOCONTAINER, F_OK) == 0)
		return 0;
	return cad_failed || access(RUNIT_CONTAINER, F_OK) == 0;
}

int main(int argc, char **argv)
{
	struct pollfd pfd;
	long long left;
	int sigfd, sig;

	(void)argc;
	(void)argv;
	diag_prefix = "- runit";
	if (getpid() != 1)
		die(111, DIAG_NOERR, "must be run as process no 1.");
	setsid();
	default_dispositions();
	sigfd = open_signals();
	console_to_fds();
	/* Ctrl-Alt-Del arrives as SIGINT instead of an immediate reboot. */
	container = detect_container(reboot(RB_DISABLE_CAD) != 0);
	info(RNG_VERSION, ": booting.");
	if (container)
		info("container mode: SIGTERM stops the system, then runit exits.", "");

	enter(STAGE1);
	pfd.fd = sigfd;
	pfd.events = POLLIN;
	for (;;) {
		int timeout = -1;

		if (deadline >= 0) {
			left = deadline - loop_mono_ms();
			timeout = left < 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
		}
		if (loop_poll(&pfd, 1, timeout) < 0) {
			warn(errno, "poll");
			sleep(1); /* ENOMEM: do not spin */
		}
		while ((sig = loop_next_signal(sigfd)))
			on_signal(sig);
		reap();
		if (state == STOP_RUNSV && procscan_named("runsv", 0) == 0) {
			deadline = -1;
			shutdown_final();
			/* The last runsv may have been our last child: a container
			 * then exits now, not at the end of the TERM grace. */
			reap();
		}
		if (deadline >= 0 && loop_mono_ms() >= deadline) {
			deadline = -1;
			on_deadline();
			reap();
		}
	}
}
