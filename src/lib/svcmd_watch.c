/* svcmd_watch.c: sv watch: the state of each service, then a line per change, woken by inotify only. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "loop.h"
#include "svcmd_watch.h"
#include "svfmt.h"
#include "svout.h"
#include "svread.h"
#include "svrun.h"
#include "svwatch.h"
#include "tai.h"

/* What makes a new line: what the line shows of each slot, or its error,
 * but its age. In text: the state, pid, pause and down file; in JSON
 * everything the object shows (readiness, status text, starts, the last
 * exit, and what later members add), kept as a hash of the object. want
 * and TERM come and go within one runsv update, faster than sv can read
 * them, so they would make lines that come and go too. */
struct watch_key {
	int result; /* 2: no such slot (no log directory) */
	unsigned char state, paused;
	int normally_up;
	uint32_t pid;
	uint64_t shown; /* JSON: the hash of the object */
	char error[128];
};

struct watched {
	const char *name;
	struct svwatch_slot main_w, log_w;
	int main_dead, log_dead;   /* runsv gone: arm for a new one's opening ok */
	int dirty;
	int polled;                /* no events for it: look every POLL_RUNIT_MS */
	uint64_t due_until;        /* a record is due: its rename makes the next look,
	                            * or, at the latest, this time (0: none) */
	int seen;                  /* a line was printed */
	struct watch_key main_k, log_k;
	char *parent, *entry;      /* where the service directory's name is, or NULL */
	int has_starts;            /* the last line's record had runsv's start count */
	unsigned long starts;
};

/* FNV-1a over what svfmt writes */
static void hash_put(void *ctx, const char *s, size_t n)
{
	uint64_t *h = ctx;

	for (size_t i = 0; i < n; i++) {
		*h ^= (unsigned char)s[i];
		*h *= 0x100000001b3ULL;
	}
}

static void key_of(struct watch_key *k, const struct svread *r, int present)
{
	memset(k, 0, sizeof *k);
	k->result = present ? r->result : 2;
	if (!present)
		return;
	if (r->slot.error) {
		strcpy(k->error, r->error);
		return;
	}
	k->state = r->slot.st.state;
	k->pid = r->slot.st.pid;
	k->paused = r->slot.st.paused;
	k->normally_up = r->slot.normally_up;
	if (sv.args.format == OUT_JSON) {
		struct svfmt_slot s = r->slot;
		struct svfmt_out o = { hash_put, &k->shown };

		s.st.want = 0;
		s.st.term = 0;
		s.want_exit = 0;
		k->shown = 0xcbf29ce484222325ULL;
		svfmt_json(&o, &s, 0, 0); /* now 0: every age is 0 */
	}
}

/* How many starts of ./run between the last line and this look no line
 * showed: runsv's start count went up by more than the lines show (one
 * when a new process runs now). 0 when unknown (no info, another runsv). */
static unsigned long starts_missed(const struct watched *s, const struct svread *r)
{
	const struct sv_status *now = &r->slot.st;
	unsigned long delta, shown;

	if (!s->seen || !s->has_starts || r->result != 1 || r->slot.error || !r->slot.info ||
	    r->slot.info->starts < s->starts)
		return 0;
	delta = r->slot.info->starts - s->starts;
	shown = now->state != SV_DOWN && now->pid &&
	    (s->main_k.state == SV_DOWN || now->pid != s->main_k.pid);
	return delta > shown ? delta - shown : 0;
}

/* A text line's first word: the local time. */
static void put_time(void)
{
	char when[SVFMT_TIME_MAX];
	struct tain now;

	tain_now(&now);
	svout_write(when, svfmt_localtime(when, tain_unix(&now), now.nano));
}

/* The line that says how many starts went by unseen. */
static void missed_line(const char *name, unsigned long missed)
{
	if (sv.args.format == OUT_JSON) {
		svout_put("{\"name\":");
		svfmt_json_name(&sv_stdout_fmt, name);
		svout_put(",\"missed_starts\":");
		svout_ulong(missed);
		svout_put("}\n");
	} else {
		put_time();
		svout_put(" missed: ");
		svout_put(name);
		svout_put(": ");
		svout_ulong(missed);
		svout_put(missed == 1 ? " start and its end\n" : " starts and their ends\n");
	}
	svout_flush();
}

static void put_slot_text(const struct svread *r, const char *label)
{
	if (r->slot.error) {
		svout_put(r->fail ? "fail: " : "warning: ");
		svout_put(r->slot.name);
		svout_put(": ");
		svout_put(r->error);
		return;
	}
	sv_put_status(label, &r->slot.st, r->slot.normally_up);
}

/* One line: the local time and the sv status line, or the JSON object. */
static void watch_line(const struct svread *svc, const struct svread *log, int has_log)
{
	if (sv.args.format == OUT_JSON) {
		svfmt_json(&sv_stdout_fmt, &svc->slot, has_log ? &log->slot : 0, sv.now_label);
	} else {
		put_time();
		svout_put(" ");
		put_slot_text(svc, svc->slot.name);
		if (!svc->slot.error && has_log) {
			svout_put("; ");
			put_slot_text(log, "log");
		}
		svout_put("\n");
	}
	svout_flush();
}

struct watch_look {
	struct svwatch *w;
	int i;
	struct watched *s;
};

/* A slot in the current directory, its watch armed first; a runsv found
 * gone is armed for again, to hear the next one open ok. */
static void watch_slot(void *ctx, int which, struct svread *r, const char *name)
{
	struct watch_look *l = ctx;
	struct svwatch_slot *ws = which ? &l->s->log_w : &l->s->main_w;
	int id = 2 * l->i + which, *dead = which ? &l->s->log_dead : &l->s->main_dead;

	if (svwatch_arm(l->w, id, ws, !*dead) < 0)
		l->s->polled = 1;
	svread_slot(r, name);
	if ((r->result == 0) != *dead) {
		*dead = r->result == 0;
		if (svwatch_arm(l->w, id, ws, !*dead) < 0)
			l->s->polled = 1;
		svread_slot(r, name);
	}
}

static void watch_look(struct svwatch *w, int i, struct watched *s)
{
	struct svread svc, log;
	struct watch_key mk, lk;
	struct watch_look look = { w, i, s };
	unsigned long missed;
	int has_log, err;

	memset(&svc, 0, sizeof svc);
	memset(&log, 0, sizeof log);
	s->polled = 0;
	sv.name = s->name;
	/* the name first, then the look by it: a directory replaced after the
	 * look (ln -sfn, or moved away and made again) wakes us, and the next
	 * look arms on the new one */
	if (s->entry && svwatch_arm_name(w, 2 * i, &s->main_w, s->parent, s->entry) < 0)
		s->polled = 1;
	err = sv_read_service(s->name, &svc, &log, &has_log, watch_slot, &look);
	if (err) {
		char parent[PATH_MAX];

		/* followed still: made again (a reinstall) it is looked at */
		svwatch_disarm(w, 2 * i + 1, &s->log_w);
		if ((err != ENOENT && err != ENOTDIR) || sv_service_parent(s->name, parent, sizeof parent) < 0 ||
		    svwatch_arm_parent(w, 2 * i, &s->main_w, parent) < 0)
			s->polled = 1;
		else if (sv_chdir_service(s->name, 1) == 0)
			s->dirty = 1; /* made between the look and the watch */
		sv_leave_service();
	}
	/* read between runsv's info and status: what is shown waits for the
	 * status, whose rename is an event, or for a moment at most */
	if (svc.due || log.due) {
		uint64_t now = sv_mono_ms();

		if (!s->due_until)
			s->due_until = now + RECORD_DUE_MS;
		if (now < s->due_until) {
			free(log.name);
			return;
		}
	}
	s->due_until = 0;
	key_of(&mk, &svc, 1);
	key_of(&lk, &log, has_log);
	missed = starts_missed(s, &svc);
	if (!s->seen || missed || memcmp(&mk, &s->main_k, sizeof mk) ||
	    memcmp(&lk, &s->log_k, sizeof lk)) {
		/* a new process replaced the old between two looks (a restart):
		 * show the old one's end, so that every restart is two lines */
		if (s->seen && s->main_k.result == 1 && mk.result == 1 && s->main_k.pid &&
		    mk.state == SV_RUN && mk.pid != s->main_k.pid &&
		    s->main_k.state != SV_DOWN) {
			struct svread gone = svc;

			gone.slot.st.pid = 0;
			gone.slot.st.state = SV_DOWN;
			gone.slot.st.paused = gone.slot.st.term = 0;
			gone.slot.info = 0;
			if (svc.slot.info && svc.slot.info->exit_kind != SVINFO_EXIT_NONE)
				gone.slot.st.stamp = svc.slot.info->exit_at;
			watch_line(&gone, &log, has_log);
		}
		/* more restarts than lines: how many went by unseen, never nothing */
		if (missed)
			missed_line(s->name, missed);
		watch_line(&svc, &log, has_log);
		s->main_k = mk;
		s->log_k = lk;
		s->seen = 1;
		s->has_starts = svc.result == 1 && svc.slot.info;
		s->starts = s->has_starts ? svc.slot.info->starts : 0;
	}
	free(log.name);
}

/* The directory that holds the service's entry, and the entry's name:
 * "a/b/" is b in a (in SVDIR unless absolute or dotted); none for names
 * such as "/" or "..". */
static void name_place(struct watched *s)
{
	char parent[PATH_MAX];
	size_t len = strlen(s->name);
	const char *base;

	while (len > 1 && s->name[len - 1] == '/')
		len--;
	base = memrchr(s->name, '/', len);
	base = base ? base + 1 : s->name;
	len -= (size_t)(base - s->name);
	if (!len || (len == 1 && base[0] == '.') || (len == 2 && base[0] == '.' && base[1] == '.') ||
	    sv_service_parent(s->name, parent, sizeof parent) < 0)
		return;
	if (!(s->entry = strndup(base, len)) || !(s->parent = strdup(parent)))
		sv_out_of_memory();
}

struct watch_state {
	struct watched *w;
	int n;
};

/* Slot ids are 2i for service i, 2i+1 for its log. */
static void watch_mark(void *ctx, int id)
{
	struct watch_state *ws = ctx;

	if (id < 0) {
		for (int i = 0; i < ws->n; i++)
			ws->w[i].dirty = 1;
	} else if (id / 2 < ws->n) {
		ws->w[id / 2].dirty = 1;
	}
}

_Noreturn void sv_watch_all(char **names, int n)
{
	struct watched *w = calloc((size_t)n, sizeof *w);
	struct watch_state ws = { w, n };
	struct svwatch watch;
	struct pollfd pfd[3];
	int sigfd;

	if (!w)
		sv_out_of_memory();
	sigfd = sv_stop_signals();
	if (svwatch_open(&watch) < 0)
		diag("warning", errno, "unable to watch with inotify: looking every 420 ms");
	for (int i = 0; i < n; i++) {
		w[i].name = names[i];
		w[i].main_w = w[i].log_w = (struct svwatch_slot)SVWATCH_SLOT_INIT;
		w[i].dirty = 1;
		name_place(&w[i]);
	}
	pfd[0] = (struct pollfd){ sigfd, POLLIN, 0 };
	pfd[1] = (struct pollfd){ watch.fd, POLLIN, 0 };
	pfd[2] = svout_reader_pollfd();
	for (;;) {
		uint64_t now = sv_mono_ms(), next = UINT64_MAX;

		sv.now_label = sv_now_label();
		for (int i = 0; i < n; i++) {
			if (w[i].dirty || w[i].polled || (w[i].due_until && w[i].due_until <= now)) {
				w[i].dirty = 0;
				watch_look(&watch, i, &w[i]);
			}
			if (w[i].dirty)
				next = now;
			if (w[i].polled && now + POLL_RUNIT_MS < next)
				next = now + POLL_RUNIT_MS;
			if (w[i].due_until && w[i].due_until < next)
				next = w[i].due_until;
		}
		(void)loop_poll(pfd, 3, next == UINT64_MAX ? -1 : sv_ms_until(next, now));
		if (loop_next_signal(sigfd) || svout_reader_gone(&pfd[2])) {
			svout_flush();
			exit(0);
		}
		if (svwatch_read(&watch, watch_mark, &ws) < 0)
			watch_mark(&ws, -1);
	}
}
