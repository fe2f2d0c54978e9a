/* svrun.c: what sv's commands share: the parsed command line, the run's state, runit's report lines, entering a service directory, and reading a service as sv status shows it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "diag.h"
#include "errstr.h"
#include "inoevents.h"
#include "instance.h"
#include "io.h"
#include "loop.h"
#include "svout.h"
#include "svrun.h"

struct sv_run sv;

/* ---- reports ---- */

_Noreturn void sv_fatal(const char *what)
{
	int e = errno;

	svout_flush_all();
	die(sv.args.lsb ? EXIT_FATAL_LSB : EXIT_USAGE, e, what);
}

_Noreturn void sv_out_of_memory(void)
{
	errno = ENOMEM;
	sv_fatal("unable to allocate memory");
}

void sv_count_error(void)
{
	sv.errors++;
}

void sv_report(const char *prefix, const char *msg, int err)
{
	svout_put(prefix);
	svout_put(sv.name);
	if (sv.islog)
		svout_put("/log");
	svout_put(": ");
	svout_put(msg);
	if (err != DIAG_NOERR) {
		svout_put(": ");
		svout_put(errstr(err));
	}
	svout_put("\n");
	svout_flush();
}

void sv_fail(const char *msg, int err)
{
	sv_report("fail: ", msg, err);
	sv_count_error();
}

void sv_warning(const char *msg, int err)
{
	sv_report("warning: ", msg, err);
	sv_count_error();
}

void sv_not_running(char first_ctl)
{
	if (first_ctl == 'x')
		sv_report("ok: ", "runsv not running", DIAG_NOERR);
	else
		sv_fail("runsv not running", DIAG_NOERR);
}

int sv_exit_code(void)
{
	return sv.errors > ERRORS_MAX ? ERRORS_MAX : sv.errors;
}

/* ---- service directories and status lines ---- */

/* Changes into the service directory. strict is the rule of the sending
 * phase; the waiting phase (runit's quirk) looks only at the first byte. */
int sv_chdir_service(const char *name, int strict)
{
	int relative = name[0] == '/' || name[0] == '.';
	size_t len = strlen(name);

	static struct instance here;
	int r;

	if (strict && (len == 0 || name[len - 1] == '/'))
		relative = 1;
	r = relative ? chdir(name) : chdir(sv.svdir) < 0 ? -1 : chdir(name);
	if (r == 0)
		instance_enter(name, &here); /* an instance's ./check may be its template's */
	return r;
}

/* The directory that holds the service directory name, as
 * sv_chdir_service(name, 1) finds it, relative to sv's own; -1 if too long. */
int sv_service_parent(const char *name, char *out, size_t size)
{
	size_t len = strlen(name);
	int relative = name[0] == '/' || name[0] == '.' || len == 0 || name[len - 1] == '/';
	const char *slash;
	int n;

	while (len > 1 && name[len - 1] == '/')
		len--;
	slash = memrchr(name, '/', len);
	if (relative && !slash)
		n = snprintf(out, size, ".");
	else if (relative)
		n = snprintf(out, size, "%.*s", slash == name ? 1 : (int)(slash - name), name);
	else if (!slash)
		n = snprintf(out, size, "%s", sv.svdir);
	else
		n = snprintf(out, size, "%s/%.*s", sv.svdir, (int)(slash - name), name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int sv_enter_service(const char *name, int strict)
{
	if (sv_chdir_service(name, strict) < 0) {
		sv_fail("unable to change to service directory", errno);
		return -1;
	}
	return 0;
}

void sv_leave_service(void)
{
	if (fchdir(sv.curdir) < 0)
		sv_fatal("unable to change to original directory");
}

/* Reads supervise/status (warnings reported): 1 read, -1 not. */
int sv_read_status(struct sv_status *st)
{
	int fd, r;

	fd = open("supervise/status", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		sv_warning("unable to open supervise/status", errno);
		return -1;
	}
	r = status_read_fd(fd, st);
	if (r < 0)
		sv_warning("unable to read supervise/status", errno);
	close_fd(fd);
	if (r > 0)
		sv_warning("unable to read supervise/status: bad format", DIAG_NOERR);
	return r == 0 ? 1 : -1;
}

/* Liveness and the record of the service in the current directory:
 * 1 read, 0 runsv not running, -1 could not tell (both already reported). */
int sv_get_status(struct sv_status *st)
{
	int r = supervise_alive("supervise/ok");

	if (r == 0) {
		sv_not_running(sv.args.cmd.ctl[0]);
		return 0;
	}
	if (r < 0) {
		sv_warning("unable to open supervise/ok", errno);
		return -1;
	}
	return sv_read_status(st);
}

/* The line's body from a record; normally_up -1 (unknown) prints neither
 * "normally" annotation. */
void sv_put_status(const char *label, const struct sv_status *st, int normally_up)
{
	static const char *const state_word[] = { "down: ", "run: ", "finish: " };

	if (st->state < 3)
		svout_put(state_word[st->state]);
	svout_put(label);
	svout_put(": ");
	if (st->state) {
		svout_put("(pid ");
		svout_ulong(st->pid);
		svout_put(") ");
	}
	svout_ulong(sv.now_label > st->stamp.sec ? (unsigned long)(sv.now_label - st->stamp.sec) : 0);
	svout_put("s");
	if (st->pid && normally_up == 0)
		svout_put(", normally down");
	if (!st->pid && normally_up == 1)
		svout_put(", normally up");
	if (st->pid && st->paused)
		svout_put(", paused");
	if (!st->pid && st->want == 'u')
		svout_put(", want up");
	if (st->pid && st->want == 'd')
		svout_put(", want down");
	if (st->pid && st->term)
		svout_put(", got TERM");
}

/* "STATE: LABEL: (pid P) Ns, annotations" without newline.
 * Returns 1 when a child runs, 2 when none, 0 when down could not be stat'ed. */
int sv_print_status(const char *label, const struct sv_status *st)
{
	struct stat sb;
	int normally_up = 0;

	if (stat("down", &sb) < 0) {
		if (errno != ENOENT) {
			diag("warning", errno, "unable to stat ", sv.name, "/down");
			return 0;
		}
		normally_up = 1;
	}
	sv_put_status(label, st, normally_up);
	return st->pid ? 1 : 2;
}

/* Sends ctl unless the service already wants it; *sent is when (or when
 * it was found redundant). 0 sent or redundant, -1 dropped. */
int sv_send_control(const char *ctl, struct tain *sent)
{
	struct sv_status st;
	int r;

	tain_now(sent);
	if (sv_get_status(&st) <= 0)
		return -1;
	/* "down" is repeated unless TERM is already on its way (runit tests for exactly 1) */
	if (st.want == (unsigned char)ctl[0] && (ctl[0] != 'd' || st.term == 1))
		return 0;
	/* a record stamped later than this was written after runsv took it */
	tain_now(sent);
	r = control_send("supervise/control", ctl, strlen(ctl));
	if (r < 0 && errno == ENXIO) {
		sv_not_running(ctl[0]);
		return -1;
	}
	/* a FIFO's write fails only with these; anything else came from open */
	if (r < 0 && errno != EAGAIN && errno != EPIPE && errno != EIO) {
		sv_warning("unable to open supervise/control", errno);
		return -1;
	}
	if (r != 0)
		sv_warning("unable to write to supervise/control", r < 0 ? errno : DIAG_NOERR);
	return 0;
}

/* ---- services read for machines and watch ---- */

static char *log_name(const char *name)
{
	size_t n = strlen(name);
	char *s = malloc(n + sizeof "/log");

	if (!s)
		sv_out_of_memory();
	memcpy(s, name, n);
	memcpy(s + n, "/log", sizeof "/log");
	return s;
}

static void ignore_event(void *ctx, const struct inotify_event *ev)
{
	(void)ctx;
	(void)ev;
}

/* For a status shown once: a record found due (its info renamed into place
 * already) is waited for, briefly, since runsv writes the two back to back. */
void sv_read_slot_settled(void *ctx, int which, struct svread *r, const char *name)
{
	int ifd = -1;

	(void)ctx;
	(void)which;
	for (int tries = 0; svread_slot(r, name) > 0 && r->due && tries < 3; tries++) {
		struct pollfd p = { ifd, POLLIN, 0 };
		uint64_t now = sv_mono_ms();

		/* one bound for the whole command: a record that does not come
		 * (info ahead of status for good, e.g. after the clock stepped
		 * back) costs RECORD_DUE_MS once, not once per service */
		if (!sv.due_until)
			sv.due_until = now + RECORD_DUE_MS;
		if (now >= sv.due_until)
			break;
		if (ifd < 0) {
			/* watched, then read again: a rename after that read is an event */
			ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
			if (ifd >= 0 && inotify_add_watch(ifd, "supervise", IN_MOVED_TO) < 0) {
				close_fd(ifd);
				ifd = -1;
			}
			continue;
		}
		(void)loop_poll(&p, 1, sv_ms_until(sv.due_until, now));
		(void)inotify_each(ifd, ignore_event, 0);
	}
	if (ifd >= 0)
		close_fd(ifd);
}

/* A service and its log, as sv status shows them (the log only when the
 * service was read); has_log 0 when there is no log directory. Counts what
 * sv status counts. Returns 0, or why the service directory was not entered. */
int sv_read_service(const char *name, struct svread *svc, struct svread *log,
    int *has_log, sv_read_slot_fn *read_slot, void *ctx)
{
	*has_log = 0;
	svc->name = log->name = 0;
	if (sv_chdir_service(name, 1) < 0) {
		int err = errno;

		memset(&svc->slot, 0, sizeof svc->slot);
		svc->slot.name = name;
		svread_error(svc, "unable to change to service directory", err, -1);
		svc->fail = 1;
		sv_count_error();
		sv_leave_service();
		return err;
	}
	read_slot(ctx, 0, svc, name);
	if (svc->result <= 0) {
		sv_count_error();
		sv_leave_service();
		return 0;
	}
	log->name = log_name(name);
	if (chdir("log") < 0) {
		if (errno != ENOENT) {
			memset(&log->slot, 0, sizeof log->slot);
			log->slot.name = log->name;
			svread_error(log, "unable to change directory", errno, -1);
			sv_count_error();
			*has_log = 1;
		}
	} else {
		*has_log = 1;
		read_slot(ctx, 1, log, log->name);
		if (log->result <= 0)
			sv_count_error();
	}
	sv_leave_service();
	return 0;
}

static void put_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	svout_write(s, n);
}

const struct svfmt_out sv_stdout_fmt = { put_out, 0 };

/* ---- time and signals ---- */

uint64_t sv_mono_ms(void)
{
	return (uint64_t)loop_mono_ms();
}

uint64_t sv_now_label(void)
{
	struct tain t;

	tain_now(&t);
	return t.sec;
}

int sv_ms_until(uint64_t at, uint64_t now_ms)
{
	if (at <= now_ms)
		return 0;
	return at - now_ms > INT_MAX ? INT_MAX : (int)(at - now_ms);
}

/* INT and TERM as events on a descriptor: they end watch and log -f with 0.
 * A shell starts background jobs with INT ignored: INT must still work. */
int sv_stop_signals(void)
{
	sigset_t set;
	int fd;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	fd = loop_signals(&set);
	if (fd < 0)
		sv_fatal("unable to create signal descriptor");
	return fd;
}
