/* svcmd_wait.c: sv's waiting phase: after the commands are sent, sleep until each service reaches their effect, runit's timeout, or its runsv is gone for good. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "control.h"
#include "diag.h"
#include "io.h"
#include "loop.h"
#include "svcmd_wait.h"
#include "svfile.h"
#include "svinfo.h"
#include "svout.h"
#include "svread.h"
#include "svrun.h"
#include "svwait.h"

/* past the timeout, the most a settling ./run is given to finish settling */
#define SETTLE_GRACE_MS (SVWAIT_SETTLE_MS + SVWAIT_REAP_MS)
/* descriptors the inotify instance must leave for the work itself */
#define FDS_KEPT_FREE 4
/* runsvdir starts a new runsv about a second after the old one exits: a
 * service whose runsv stays gone longer than this is reported not running */
#define RUNSV_REPLACED_MS 2000

static void say_not_running(void *ctx)
{
	(void)ctx;
	sv_not_running(sv.args.cmd.ctl[0]);
}

/* s's runsv is found gone: what is printed from now on is held back (svout.h). */
static void hold_place(struct service *s, uint64_t now_ms)
{
	s->orphaned = 1;
	s->orphaned_ms = now_ms;
	svout_hold_begin(&s->hold);
}

/* s is no longer orphaned; failed: its runsv stays gone, so its "runsv not
 * running" line goes to its place. */
static void hold_end(struct service *s, int failed)
{
	s->orphaned = 0;
	svout_hold_end(&s->hold, failed ? say_not_running : 0, 0);
}

/* ./check decides "really up": absent passes; stdout closed; exit 0 passes. */
static int check_script_passes(void)
{
	static char *const argv[] = { "./check", 0 };
	extern char **environ;
	struct stat sb;
	pid_t pid;
	int ws;

	if (svfile_stat(AT_FDCWD, "check", &sb) < 0) {
		if (errno == ENOENT)
			return 1;
		svout_flush();
		diag("warning", errno, "unable to stat ", sv.name, "/check");
		return 0;
	}
	pid = fork();
	if (pid < 0) {
		diag("warning", errno, "unable to fork for ", sv.name, "/check");
		return 0;
	}
	if (pid == 0) {
		close(1);
		svfile_exec(AT_FDCWD, "check", argv, environ);
		/* runit's quirk: a check that cannot run counts as passed */
		diag("warning", errno, "unable to run ", sv.name, "/check");
		_exit(0);
	}
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR) {
			diag("warning", errno, "unable to wait for child ", sv.name, "/check");
			return 0;
		}
	}
	/* killed by a signal: the exit-code field is 0, which runit takes as a pass */
	return !WIFEXITED(ws) || WEXITSTATUS(ws) == 0;
}

/* Looks again at s after ms milliseconds, unless it is looked at earlier. */
static void look_again(struct service *s, uint64_t now_ms, long ms)
{
	uint64_t at = now_ms + (uint64_t)(ms > 0 ? ms : 0);

	if (!s->due_ms || at < s->due_ms)
		s->due_ms = at;
}

/* The running service's ./check, no more often than its back-off allows;
 * a new record (another pid or start) earns a prompt run. */
static int check_passes_now(struct service *s, const struct sv_status *st, uint64_t now_ms)
{
	int pass;

	if (s->check_pid != st->pid || s->check_stamp.sec != st->stamp.sec ||
	    s->check_stamp.nano != st->stamp.nano) {
		s->check_pid = st->pid;
		s->check_stamp = st->stamp;
		s->check_ms = 0;
		s->check_at = 0;
	}
	if (now_ms < s->check_at) {
		look_again(s, now_ms, (long)(s->check_at - now_ms));
		return 0;
	}
	pass = check_script_passes();
	if (!pass) {
		s->check_ms = svwait_check_backoff(s->check_ms);
		s->check_at = now_ms + s->check_ms;
		look_again(s, now_ms, (long)s->check_ms);
	}
	return pass;
}

/* One look's answer to "has the running service started?", asked by
 * svwait_reached at most once per look (restart asks for t and u). */
struct started_query {
	struct service *s;
	const struct sv_status *st;
	uint64_t now_ms;
	int answer; /* -1 not asked yet */
};

static int service_started(void *arg)
{
	struct started_query *q = arg;
	const struct sv_status *st = q->st;
	struct svinfo info;
	struct stat sb;
	struct tain now;
	int has_info = 0, has_check;
	long wait;

	if (q->answer >= 0)
		return q->answer;
	q->answer = 0;
	if (svinfo_read_at(AT_FDCWD, "supervise/" SVINFO_FILE, &info) == 0) {
		if (svinfo_matches(&info, st))
			has_info = 1;
		else if (svread_info_ahead(&info, st))
			/* our status is already outdated, and its replacement is
			 * on the way (an event) */
			return 0;
		/* else an older info: left by a runsv that writes none */
	}
	has_check = svfile_stat(AT_FDCWD, "check", &sb) == 0 || errno != ENOENT;
	switch (svwait_rule(has_info ? &info : 0, has_check)) {
	case SVWAIT_BY_READINESS:
		/* runsv renames a new info into place when it becomes ready */
		if (info.ready)
			q->answer = !has_check || check_passes_now(q->s, st, q->now_ms);
		break;
	case SVWAIT_BY_CHECK:
		q->answer = check_passes_now(q->s, st, q->now_ms);
		break;
	case SVWAIT_BY_SETTLE:
		tain_now(&now);
		q->answer = svwait_settled(&q->s->settle, st, &now, q->now_ms, svwait_proc, &wait);
		if (!q->answer && wait >= 0) {
			q->s->settling = 1;
			look_again(q->s, q->now_ms, wait);
		}
		break;
	}
	return q->answer;
}

/* Is the down record a oneshot's that is done? (supervise/info, matching it) */
static int service_done(void *arg)
{
	struct started_query *q = arg;
	struct svinfo info;

	return svinfo_read_at(AT_FDCWD, "supervise/" SVINFO_FILE, &info) == 0 &&
	    svinfo_matches(&info, q->st) && info.oneshot == SVINFO_ONESHOT_DONE;
}

/* Is the effect of the command reached? 1 yes (reported), 0 not yet,
 * -1 give up (reported). In the service's directory. */
static int reached(struct service *s, uint64_t now_ms)
{
	const char *ctl = sv.args.cmd.ctl;
	struct started_query q = { s, 0, now_ms, -1 };
	struct svwait_view v = { 0, &s->sent, service_started, &q, service_done };
	struct sv_status st;
	int r;

	r = supervise_alive("supervise/ok");
	if (r == 0 && ctl[0] == 'x') {
		sv_not_running('x'); /* "ok: NAME: runsv not running" */
		return 1;
	}
	if (r == 0) {
		/* gone: runsvdir may be starting a new one; wait for it, a while */
		if (!s->orphaned)
			hold_place(s, now_ms);
		if (now_ms - s->orphaned_ms >= RUNSV_REPLACED_MS) {
			hold_end(s, 1);
			return -1;
		}
		look_again(s, now_ms, (long)(s->orphaned_ms + RUNSV_REPLACED_MS - now_ms));
		return 0;
	}
	if (s->orphaned)
		hold_end(s, 0);
	if (r < 0) {
		sv_warning("unable to open supervise/ok", errno);
		return -1;
	}
	if (sv_read_status(&st) < 0)
		return -1;
	q.st = v.st = &st;
	if (!svwait_reached(ctl, &v))
		return 0;
	svout_put("ok: ");
	sv_print_status(sv.name, &st);
	svout_put("\n");
	svout_flush();
	return 1;
}

/* The wait is over without success: runit's timeout line (or kill: and KILL). */
static void time_out(struct service *s)
{
	struct sv_status st;

	if (s->orphaned) {
		int gone = supervise_alive("supervise/ok") == 0;

		hold_end(s, gone);
		if (gone)
			return;
	}
	svout_put(sv.args.cmd.kill_on_timeout ? "kill: " : "timeout: ");
	if (sv_get_status(&st) > 0) {
		sv_print_status(s->name, &st);
		sv_count_error();
	}
	svout_put("\n");
	svout_flush();
	if (sv.args.cmd.kill_on_timeout) {
		struct tain sent;

		sv_send_control("k", &sent);
	}
}

/* Keeps the inotify instance only while enough descriptors stay free for
 * the work itself (probing ok, reading status, writing control, ./check). */
static int spare_fd(int fd)
{
	struct rlimit rl;
	rlim_t limit = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;

	if (fd >= 0 && (rlim_t)fd + FDS_KEPT_FREE >= limit) {
		close_fd(fd);
		return -1;
	}
	return fd;
}

struct wait_state {
	struct service *svc;
	int n;
};

static void mark_dirty(void *ctx, int id)
{
	struct wait_state *w = ctx;

	if (id < 0) {
		for (int i = 0; i < w->n; i++)
			w->svc[i].dirty = 1;
	} else if (id < w->n) {
		w->svc[id].dirty = 1;
	}
}

/* Looks at a pending service in its directory: 1 done (reported), 0 not
 * yet. timed_out 1: the wait is over unless the service is settling: a
 * ./run that started just before the deadline gets the rest of its settle
 * time to prove it stays up (the answer would otherwise be a guess);
 * 2: over for good. */
static int look(struct svwatch *watch, int id, struct service *s, uint64_t now_ms,
    int timed_out)
{
	int was_orphaned = s->orphaned, r;

	s->settling = 0;
	/* the first look arms nothing if it is also the last: the kernel is
	 * slow to close an inotify instance that held watches */
	if (!s->looked) {
		s->looked = 1;
		if (reached(s, now_ms) != 0)
			return 1;
		s->settling = 0;
		was_orphaned = s->orphaned;
	}
	/* watch first, then read: a change after the read is an event */
	s->polled = svwatch_arm(watch, id, &s->watch, !s->orphaned) < 0;
	r = reached(s, now_ms);
	if (r == 0 && s->orphaned && !was_orphaned) {
		/* now a new runsv opening ok must wake us: arm for it, look once more */
		s->polled = svwatch_arm(watch, id, &s->watch, 0) < 0;
		r = reached(s, now_ms);
	}
	if (r == 0 && (timed_out > 1 || (timed_out && !s->settling))) {
		time_out(s);
		r = 1;
	}
	if (r == 0 && s->polled)
		look_again(s, now_ms, POLL_RUNIT_MS);
	return r != 0;
}

static void ignore_hit(void *ctx, int id)
{
	(void)ctx;
	(void)id;
}

int sv_await_runsv(uint64_t deadline_ms)
{
	struct svwatch w;
	struct svwatch_slot slot = SVWATCH_SLOT_INIT;
	int have = svwatch_open(&w) == 0, r;

	for (;;) {
		uint64_t now;
		int polled = !have || svwatch_arm(&w, 0, &slot, 0) < 0;
		struct pollfd p = { have ? w.fd : -1, POLLIN, 0 };
		int ms;

		/* armed first, then looked at: what a runsv does after the look
		 * is an event (supervise/ made, ok made, ok opened) */
		r = supervise_alive("supervise/ok");
		if (r > 0 || (r < 0 && errno != ENOENT))
			break;
		/* r 0: ok is there, no runsv yet: the one making it opens it next */
		now = sv_mono_ms();
		if (now >= deadline_ms)
			break;
		ms = sv_ms_until(deadline_ms, now);
		if (polled && ms > POLL_RUNIT_MS)
			ms = POLL_RUNIT_MS;
		(void)loop_poll(&p, p.fd >= 0, ms);
		if (have && svwatch_read(&w, ignore_hit, 0) < 0)
			have = 0;
	}
	if (have)
		svwatch_close(&w);
	return r > 0;
}

void sv_wait_all(struct service *svc, int n)
{
	struct wait_state ws = { svc, n };
	struct svwatch watch;
	uint64_t start = sv.wait_start ? sv.wait_start : sv_mono_ms(), limit_ms;
	int timed_out = 0;

	/* Give up when runit would: at its first 420 ms round past the timeout.
	 * Success is reported at once; failure shows the same, settled state. */
	limit_ms = sv.args.wait_sec > UINT64_MAX / 2000 ? UINT64_MAX / 2 :
	    (sv.args.wait_sec * 1000 / POLL_RUNIT_MS + 1) * POLL_RUNIT_MS;
	if (svwatch_open(&watch) == 0 && (watch.fd = spare_fd(watch.fd)) < 0)
		svwatch_close(&watch);
	for (int i = 0; i < n; i++)
		svc[i].dirty = 1;
	for (;;) {
		uint64_t now_ms = sv_mono_ms(), next = start + limit_ms;
		struct pollfd pfd = { watch.fd, POLLIN, 0 };
		int pending = 0;

		if (now_ms - start >= limit_ms + (timed_out ? SETTLE_GRACE_MS : 0) &&
		    timed_out < 2) {
			timed_out++;
			for (int i = 0; i < n; i++)
				svc[i].dirty = 1;
		}
		if (timed_out == 1)
			next = start + limit_ms + SETTLE_GRACE_MS;
		sv.now_label = sv_now_label();
		for (int i = 0; i < n; i++) {
			struct service *s = &svc[i];

			if (!s->pending)
				continue;
			if (s->dirty || (s->due_ms && s->due_ms <= now_ms)) {
				s->dirty = 0;
				s->due_ms = 0;
				sv.name = s->name;
				if (sv_enter_service(s->name, 0) < 0 || look(&watch, i, s, now_ms, timed_out)) {
					if (s->orphaned)
						hold_end(s, 0);
					s->pending = 0;
					svwatch_disarm(&watch, i, &s->watch);
				}
				sv_leave_service();
			}
			if (!s->pending)
				continue;
			pending++;
			if (s->due_ms && s->due_ms < next)
				next = s->due_ms;
		}
		if (!pending)
			break;
		(void)loop_poll(&pfd, watch.fd >= 0, sv_ms_until(next, now_ms));
		if (svwatch_read(&watch, mark_dirty, &ws) < 0)
			mark_dirty(&ws, -1);
	}
	svwatch_abandon(&watch);
}
