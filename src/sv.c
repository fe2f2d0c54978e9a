/* sv.c: sv, the client that controls and queries runsv through supervise/, and its LSB init-script personality. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "control.h"
#include "diag.h"
#include "errstr.h"
#include "inoevents.h"
#include "instance.h"
#include "io.h"
#include "loop.h"
#include "num.h"
#include "opt.h"
#include "status.h"
#include "svfile.h"
#include "svfmt.h"
#include "svinfo.h"
#include "svlog.h"
#include "svread.h"
#include "svwait.h"
#include "svwatch.h"
#include "tai.h"

/* Debian's choice; 2.3.0 uses "/service/", Void "/var/service/". */
#ifndef SV_DEFAULT_SVDIR
#define SV_DEFAULT_SVDIR "/etc/service/"
#endif

#define SV_DEFAULT_WAIT 7
#define USAGE_SV "[-v] [-w sec] command service ..."
#define USAGE_LSB "[-w sec] command"
#define EXIT_USAGE 100
#define EXIT_USAGE_LSB 2
#define EXIT_FATAL_LSB 151
#define ERRORS_MAX 99

/* runit re-checks every 420 ms; we only fall back to that for a service
 * the kernel cannot tell us about (no inotify, no watch left). */
#define POLL_RUNIT_MS 420
/* past the timeout, the most a settling ./run is given to finish settling */
#define SETTLE_GRACE_MS (SVWAIT_SETTLE_MS + SVWAIT_REAP_MS)
/* runsv renames info, then status, back to back: a record found due is
 * given this long to arrive before what was read is shown anyway */
#define RECORD_DUE_MS 200
/* descriptors the inotify instance must leave for the work itself */
#define FDS_KEPT_FREE 4
/* runsvdir starts a new runsv about a second after the old one exits: a
 * service whose runsv stays gone longer than this is reported not running */
#define RUNSV_REPLACED_MS 2000

enum cmd_kind { CMD_STATUS, CMD_CONTROL, CMD_CHECK, CMD_WATCH, CMD_LOG };
enum out_format { OUT_TEXT, OUT_JSON, OUT_PROM };

/* What a command word means: the result of the first-letter dispatch. */
struct sv_cmd {
	enum cmd_kind kind;
	const char *ctl;   /* bytes sent and then checked, left to right */
	int always_wait;   /* LSB verbs wait without -v */
	int verbose_wait;  /* waits when -v or -w is given */
	int kill_on_timeout;
};

struct sv_args {
	int lsb;
	const char *progname;
	int verbose;
	int wait_set;          /* -w seen: SVWAIT is ignored */
	unsigned long wait_sec;
	const char *word;      /* the command word */
	struct sv_cmd cmd;
	char **services;
	int nservices;
	/* runit-ng's options, letters runit's sv rejects */
	enum out_format format; /* -o: status and watch */
	int format_set;
	int follow;             /* -f: log follows */
	unsigned long lines;    /* -n: log shows the last lines only */
	int lines_set;
};

enum parse_result { PARSE_OK, PARSE_USAGE, PARSE_VERSION };

/* Maps a command word to its meaning; -1 for a word sv does not accept. */
static int sv_dispatch(const char *w, int lsb, struct sv_cmd *c)
{
	static char one[128][2];
	unsigned char first = (unsigned char)w[0];

	c->kind = CMD_CONTROL;
	c->always_wait = 0;
	c->verbose_wait = 1;
	c->kill_on_timeout = 0;
	switch (first) {
	case 'x': case 'e':
		c->ctl = "x";
		return 0;
	case 'X': case 'E':
		c->ctl = "x";
		c->always_wait = c->kill_on_timeout = 1;
		return 0;
	case 'D':
		c->ctl = "d";
		c->always_wait = c->kill_on_timeout = 1;
		return 0;
	case 'T':
		c->ctl = "tc";
		c->always_wait = c->kill_on_timeout = 1;
		return 0;
	case 's':
		c->always_wait = 1;
		if (!strcmp(w, "shutdown")) { c->ctl = "x"; return 0; }
		if (!strcmp(w, "start")) { c->ctl = "u"; return 0; }
		if (!strcmp(w, "stop")) { c->ctl = "d"; return 0; }
		if (lsb && strcmp(w, "status"))
			return -1;
		c->kind = CMD_STATUS;
		c->ctl = "s";
		c->always_wait = c->verbose_wait = 0;
		return 0;
	case 'r':
		c->always_wait = 1;
		if (!strcmp(w, "restart")) { c->ctl = "tcu"; return 0; }
		if (!strcmp(w, "reload")) { c->ctl = "h"; return 0; }
		return -1;
	case 'f':
		c->always_wait = c->kill_on_timeout = 1;
		if (!strcmp(w, "force-reload")) { c->ctl = "tc"; return 0; }
		if (!strcmp(w, "force-restart")) { c->ctl = "tcu"; return 0; }
		if (!strcmp(w, "force-shutdown")) { c->ctl = "x"; return 0; }
		if (!strcmp(w, "force-stop")) { c->ctl = "d"; return 0; }
		return -1;
	case 't':
		if (!strcmp(w, "try-restart")) {
			c->ctl = "tc";
			c->always_wait = 1;
			return 0;
		}
		/* any other t-word is "term", through the same path as "cont" */
		/* FALLTHROUGH */
	case 'c':
		if (first == 'c' && !strcmp(w, "check")) {
			c->kind = CMD_CHECK;
			c->ctl = "C";
			c->always_wait = 1;
			return 0;
		}
		/* FALLTHROUGH */
	case 'u': case 'd': case 'o': case 'p': case 'h': case 'a':
	case 'i': case 'k': case 'q': case '1': case '2':
		one[first][0] = (char)first;
		c->ctl = one[first];
		return 0;
	/* runit-ng's words begin with letters runit's sv rejects: there they do nothing */
	case 'w':
		c->kind = CMD_WATCH;
		c->ctl = "s";
		c->verbose_wait = 0;
		return strcmp(w, "watch") ? -1 : 0;
	case 'l':
		c->kind = CMD_LOG;
		c->ctl = "s";
		c->verbose_wait = 0;
		return strcmp(w, "log") ? -1 : 0;
	default:
		return -1;
	}
}

static int scan_format(const char *s, enum out_format *f)
{
	static const char *const names[] = { "text", "json", "prom" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*f = (enum out_format)i;
			return 0;
		}
	return -1;
}

/* Options, command word and service operands; prints only getopt's complaints. */
static enum parse_result sv_parse(int argc, char **argv, struct sv_args *a)
{
	struct opt o = OPT_INIT;
	int c;

	memset(a, 0, sizeof *a);
	a->progname = argc > 0 && argv[0] ? base_name(argv[0]) : "sv";
	a->lsb = strcmp(a->progname, "sv") != 0;
	while ((c = opt_next(&o, argc, argv, "w:vVo:fn:")) != -1) {
		switch (c) {
		case 'o':
			if (scan_format(o.arg, &a->format) < 0)
				return PARSE_USAGE;
			a->format_set = 1;
			break;
		case 'f':
			a->follow = 1;
			break;
		case 'n':
			if (!scan_ulong_all(o.arg, &a->lines))
				return PARSE_USAGE;
			a->lines_set = 1;
			break;
		case 'w':
			scan_ulong(o.arg, &a->wait_sec);
			a->wait_set = 1;
			a->verbose = 1;
			break;
		case 'v':
			a->verbose = 1;
			break;
		case 'V':
			return PARSE_VERSION;
		default:
			return PARSE_USAGE;
		}
	}
	if (o.ind >= argc || !argv[o.ind])
		return PARSE_USAGE;
	a->word = argv[o.ind++];
	if (a->lsb) {
		/* the service is the name sv was called by; more operands are ignored */
		a->services = (char **)&a->progname;
		a->nservices = 1;
	} else {
		if (o.ind >= argc || !argv[o.ind])
			return PARSE_USAGE;
		a->services = argv + o.ind;
		a->nservices = argc - o.ind;
	}
	if (sv_dispatch(a->word, a->lsb, &a->cmd) < 0)
		return PARSE_USAGE;
	/* each new option belongs to its commands only */
	if (a->format_set && a->cmd.kind != CMD_STATUS && a->cmd.kind != CMD_WATCH)
		return PARSE_USAGE;
	if (a->format == OUT_PROM && a->cmd.kind == CMD_WATCH)
		return PARSE_USAGE;
	if ((a->follow || a->lines_set) && a->cmd.kind != CMD_LOG)
		return PARSE_USAGE;
	return PARSE_OK;
}

/* ---- stdout: buffered, flushed where runit flushes, so that stderr lines
 * interleave the same way ---- */

static char outbuf[4096];
static size_t outlen;

/* Lines held back while a service's runsv is gone and a new one may come:
 * runit prints its fail line as soon as it finds runsv gone, so should none
 * come, that line is put where runit would have printed it (hold_end). */
struct service;
static struct {
	char *buf;
	size_t len, cap;
	int holds;           /* services holding a place in buf */
	struct service *svc; /* the services waited for, n of them */
	int n;
} held;

static int out_gone; /* a write found no reader (SIGPIPE ignored) */

static void held_append(const char *s, size_t n);

static void out_write_all(const char *s, size_t n)
{
	if (n && write_all(1, s, n) < 0 && errno == EPIPE)
		out_gone = 1;
}

static void out_flush(void)
{
	if (held.holds) {
		held_append(outbuf, outlen);
	} else {
		out_write_all(held.buf, held.len);
		held.len = 0;
		out_write_all(outbuf, outlen);
	}
	outlen = 0;
}

/* watch and log -f end when their reader is gone: a pipe's write end polls
 * POLLERR then, before anything is written (events 0: nothing else wakes) */
static struct pollfd reader_pollfd(void)
{
	struct stat sb;

	return (struct pollfd){ fstat(1, &sb) == 0 ? 1 : -1, 0, 0 };
}

static int reader_gone(const struct pollfd *p)
{
	return out_gone || (p->revents & (POLLERR | POLLHUP));
}

static void out_write(const char *s, size_t n)
{
	while (n) {
		size_t room = sizeof outbuf - outlen, k = n < room ? n : room;

		memcpy(outbuf + outlen, s, k);
		outlen += k;
		s += k;
		n -= k;
		if (outlen == sizeof outbuf)
			out_flush();
	}
}

static void out_put(const char *s)
{
	out_write(s, strlen(s));
}

static void out_ulong(unsigned long u)
{
	char num[FMT_ULONG];

	fmt_ulong(num, u);
	out_put(num);
}

/* ---- per-run state ---- */

struct service {
	const char *name;
	int pending;     /* still to be reported in the waiting phase */
	int dirty;       /* something happened: look at it again */
	int polled;      /* no events arrive for it: look every POLL_RUNIT_MS */
	int orphaned;    /* its runsv went away: waiting for a new one */
	uint64_t orphaned_ms; /* since then */
	int holding;     /* orphaned: its fail line would stand at hold_at */
	size_t hold_at;  /* in held.buf */
	unsigned hold_seq; /* holds taken earlier come first at one place */
	int settling;    /* runs, but not yet for the settle time */
	int looked;      /* looked at once already */
	uint64_t due_ms; /* a timer looks at it again then (0: none) */
	struct svwatch_slot watch;
	struct tain sent;             /* when its command was sent, or found redundant */
	struct svwait_settle settle;  /* the settle rule across looks */
	uint32_t check_pid;           /* the record ./check last ran for */
	struct tain check_stamp;
	unsigned check_ms;            /* ./check back-off */
	uint64_t check_at;            /* ./check runs again no earlier */
};
static struct {
	struct sv_args args;
	const char *svdir;
	int curdir;
	int errors;
	int islog;                /* describing NAME/log */
	const char *name;         /* the service operand being handled */
	uint64_t now_label;       /* TAI64 seconds for the age shown in status lines */
} sv;

static _Noreturn void fatal(const char *what)
{
	int e = errno;

	held.holds = 0;
	out_flush();
	die(sv.args.lsb ? EXIT_FATAL_LSB : EXIT_USAGE, e, what);
}

static _Noreturn void out_of_memory(void)
{
	errno = ENOMEM;
	fatal("unable to allocate memory");
}

static void count_error(void)
{
	sv.errors++;
}

/* "PREFIX NAME[/log]: MSG[: ERR]\n" on stdout. */
static void report(const char *prefix, const char *msg, int err)
{
	out_put(prefix);
	out_put(sv.name);
	if (sv.islog)
		out_put("/log");
	out_put(": ");
	out_put(msg);
	if (err != DIAG_NOERR) {
		out_put(": ");
		out_put(errstr(err));
	}
	out_put("\n");
	out_flush();
}

static void fail(const char *msg, int err)
{
	report("fail: ", msg, err);
	count_error();
}

static void warning(const char *msg, int err)
{
	report("warning: ", msg, err);
	count_error();
}

static void not_running(char first_ctl)
{
	if (first_ctl == 'x')
		report("ok: ", "runsv not running", DIAG_NOERR);
	else
		fail("runsv not running", DIAG_NOERR);
}

static void held_append(const char *s, size_t n)
{
	if (!n)
		return; /* nothing, and held.buf may be NULL still */
	if (grow(&held.buf, &held.cap, held.len + n, 1, 1024) < 0)
		out_of_memory();
	memcpy(held.buf + held.len, s, n);
	held.len += n;
}

/* s's runsv is found gone: what is printed from now on is held back. */
static void hold_place(struct service *s, uint64_t now_ms)
{
	static unsigned seq;

	out_flush();
	s->orphaned = 1;
	s->orphaned_ms = now_ms;
	s->holding = 1;
	s->hold_at = held.len;
	s->hold_seq = ++seq;
	held.holds++;
}

/* s is no longer orphaned; fail: its runsv stays gone, so its "runsv not
 * running" line goes to its place. The last hold ended, the rest is out. */
static void hold_end(struct service *s, int failed)
{
	size_t end, len;
	char *line;

	s->orphaned = 0;
	if (!s->holding) {
		if (failed)
			not_running(sv.args.cmd.ctl[0]);
		return;
	}
	out_flush();
	end = held.len;
	if (failed)
		not_running(sv.args.cmd.ctl[0]);
	len = held.len - end;
	if (len) {
		if (!(line = malloc(len)))
			out_of_memory();
		memcpy(line, held.buf + end, len);
		memmove(held.buf + s->hold_at + len, held.buf + s->hold_at, end - s->hold_at);
		memcpy(held.buf + s->hold_at, line, len);
		free(line);
		for (int i = 0; i < held.n; i++) {
			struct service *t = &held.svc[i];

			if (t != s && t->holding && (t->hold_at > s->hold_at ||
			    (t->hold_at == s->hold_at && t->hold_seq > s->hold_seq)))
				t->hold_at += len;
		}
	}
	s->holding = 0;
	held.holds--;
	out_flush();
}

/* Changes into the service directory. strict is the rule of the sending
 * phase; the waiting phase (runit's quirk) looks only at the first byte. */
static int chdir_service(const char *name, int strict)
{
	int relative = name[0] == '/' || name[0] == '.';
	size_t len = strlen(name);

	int r;

	if (strict && (len == 0 || name[len - 1] == '/'))
		relative = 1;
	static struct instance here;

	r = relative ? chdir(name) : chdir(sv.svdir) < 0 ? -1 : chdir(name);
	if (r == 0)
		instance_enter(name, &here); /* an instance's ./check may be its template's */
	return r;
}

/* The directory that holds the service directory name, as
 * chdir_service(name, 1) finds it, relative to sv's own; -1 if too long. */
static int service_parent(const char *name, char *out, size_t size)
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

static int enter_service(const char *name, int strict)
{
	if (chdir_service(name, strict) < 0) {
		fail("unable to change to service directory", errno);
		return -1;
	}
	return 0;
}

static void leave_service(void)
{
	if (fchdir(sv.curdir) < 0)
		fatal("unable to change to original directory");
}

/* Reads supervise/status (warnings reported): 1 read, -1 not. */
static int read_status(struct sv_status *st)
{
	int fd, r;

	fd = open("supervise/status", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		warning("unable to open supervise/status", errno);
		return -1;
	}
	r = status_read_fd(fd, st);
	if (r < 0)
		warning("unable to read supervise/status", errno);
	close_fd(fd);
	if (r > 0)
		warning("unable to read supervise/status: bad format", DIAG_NOERR);
	return r == 0 ? 1 : -1;
}

/* Liveness and the record of the service in the current directory:
 * 1 read, 0 runsv not running, -1 could not tell (both already reported). */
static int get_status(struct sv_status *st)
{
	int r = supervise_alive("supervise/ok");

	if (r == 0) {
		not_running(sv.args.cmd.ctl[0]);
		return 0;
	}
	if (r < 0) {
		warning("unable to open supervise/ok", errno);
		return -1;
	}
	return read_status(st);
}

/* The line's body from a record; normally_up -1 (unknown) prints neither
 * "normally" annotation. */
static void put_status(const char *label, const struct sv_status *st, int normally_up)
{
	static const char *const state_word[] = { "down: ", "run: ", "finish: " };

	if (st->state < 3)
		out_put(state_word[st->state]);
	out_put(label);
	out_put(": ");
	if (st->state) {
		out_put("(pid ");
		out_ulong(st->pid);
		out_put(") ");
	}
	out_ulong(sv.now_label > st->stamp.sec ? (unsigned long)(sv.now_label - st->stamp.sec) : 0);
	out_put("s");
	if (st->pid && normally_up == 0)
		out_put(", normally down");
	if (!st->pid && normally_up == 1)
		out_put(", normally up");
	if (st->pid && st->paused)
		out_put(", paused");
	if (!st->pid && st->want == 'u')
		out_put(", want up");
	if (st->pid && st->want == 'd')
		out_put(", want down");
	if (st->pid && st->term)
		out_put(", got TERM");
}

/* "STATE: LABEL: (pid P) Ns, annotations" without newline.
 * Returns 1 when a child runs, 2 when none, 0 when down could not be stat'ed. */
static int print_status(const char *label, const struct sv_status *st)
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
	put_status(label, st, normally_up);
	return st->pid ? 1 : 2;
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
		out_flush();
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

/* Sends ctl unless the service already wants it; *sent is when (or when
 * it was found redundant). 0 sent or redundant, -1 dropped. */
static int send_control(const char *ctl, struct tain *sent)
{
	struct sv_status st;
	int r;

	tain_now(sent);
	if (get_status(&st) <= 0)
		return -1;
	/* "down" is repeated unless TERM is already on its way (runit tests for exactly 1) */
	if (st.want == (unsigned char)ctl[0] && (ctl[0] != 'd' || st.term == 1))
		return 0;
	/* a record stamped later than this was written after runsv took it */
	tain_now(sent);
	r = control_send("supervise/control", ctl, strlen(ctl));
	if (r < 0 && errno == ENXIO) {
		not_running(ctl[0]);
		return -1;
	}
	/* a FIFO's write fails only with these; anything else came from open */
	if (r < 0 && errno != EAGAIN && errno != EPIPE && errno != EIO) {
		warning("unable to open supervise/control", errno);
		return -1;
	}
	if (r != 0)
		warning("unable to write to supervise/control", r < 0 ? errno : DIAG_NOERR);
	return 0;
}

static _Noreturn void lsb_exit(int code)
{
	out_flush();
	exit(code);
}

/* One status line with the log part; in LSB mode it also decides the exit code. */
static void show_status(void)
{
	struct sv_status st;
	int r, main_rc;

	r = get_status(&st);
	if (r < 0 && sv.args.lsb)
		lsb_exit(4);
	if (r <= 0)
		return;
	main_rc = print_status(sv.name, &st);
	sv.islog = 1;
	if (chdir("log") < 0) {
		if (errno != ENOENT) {
			out_put("; ");
			warning("unable to change directory", errno);
		} else {
			out_put("\n");
		}
	} else {
		out_put("; ");
		r = get_status(&st);
		if (r != 0) { /* after a failed read, st still holds the main record: runit prints it as the log's */
			print_status("log", &st);
			out_put("\n");
		}
	}
	sv.islog = 0;
	out_flush();
	/* 2.3.0 takes the LSB code from the main service (2.1.2 used the log's) */
	if (sv.args.lsb)
		lsb_exit(main_rc == 1 ? 0 : main_rc == 2 ? 3 : 4);
}

/* ---- status for machines: -o json, -o prom ---- */

static char *log_name(const char *name)
{
	size_t n = strlen(name);
	char *s = malloc(n + sizeof "/log");

	if (!s)
		out_of_memory();
	memcpy(s, name, n);
	memcpy(s + n, "/log", sizeof "/log");
	return s;
}

/* How read_service reads a slot (which: 0 the service, 1 its log) in the
 * current directory: once for status, or with its watch armed for watch. */
typedef void read_slot_fn(void *ctx, int which, struct svread *r, const char *name);

static void ignore_event(void *ctx, const struct inotify_event *ev)
{
	(void)ctx;
	(void)ev;
}

/* For a status shown once: a record found due (its info renamed into place
 * already) is waited for, briefly, since runsv writes the two back to back. */
static void read_slot_settled(void *ctx, int which, struct svread *r, const char *name)
{
	int ifd = -1;

	(void)ctx;
	(void)which;
	for (int tries = 0; svread_slot(r, name) > 0 && r->due && tries < 3; tries++) {
		struct pollfd p = { ifd, POLLIN, 0 };

		if (ifd < 0) {
			/* watched, then read again: a rename after that read is an event */
			ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
			if (ifd >= 0 && inotify_add_watch(ifd, "supervise", IN_MOVED_TO) < 0) {
				close_fd(ifd);
				ifd = -1;
			}
			continue;
		}
		(void)loop_poll(&p, 1, RECORD_DUE_MS / 2);
		(void)inotify_each(ifd, ignore_event, 0);
	}
	if (ifd >= 0)
		close_fd(ifd);
}

/* A service and its log, as sv status shows them (the log only when the
 * service was read); has_log 0 when there is no log directory. Counts what
 * sv status counts. Returns 0, or why the service directory was not entered. */
static int read_service(const char *name, struct svread *svc, struct svread *log,
    int *has_log, read_slot_fn *read_slot, void *ctx)
{
	*has_log = 0;
	svc->name = log->name = 0;
	if (chdir_service(name, 1) < 0) {
		int err = errno;

		memset(&svc->slot, 0, sizeof svc->slot);
		svc->slot.name = name;
		svread_error(svc, "unable to change to service directory", err, -1);
		svc->fail = 1;
		count_error();
		leave_service();
		return err;
	}
	read_slot(ctx, 0, svc, name);
	if (svc->result <= 0) {
		count_error();
		leave_service();
		return 0;
	}
	log->name = log_name(name);
	if (chdir("log") < 0) {
		if (errno != ENOENT) {
			memset(&log->slot, 0, sizeof log->slot);
			log->slot.name = log->name;
			svread_error(log, "unable to change directory", errno, -1);
			count_error();
			*has_log = 1;
		}
	} else {
		*has_log = 1;
		read_slot(ctx, 1, log, log->name);
		if (log->result <= 0)
			count_error();
	}
	leave_service();
	return 0;
}

static void put_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	out_write(s, n);
}

static const struct svfmt_out stdout_fmt = { put_out, 0 };

/* LSB status's code for the main service (as text mode decides it). */
static int lsb_code(const struct svread *r)
{
	if (r->result < 0)
		return r->fail ? 1 : 4; /* no such directory: 1, unreadable: 4 */
	if (r->result == 0)
		return 1;
	if (r->slot.normally_up < 0)
		return 4;
	return r->slot.st.pid ? 0 : 3;
}

/* sv -o json|prom status SERVICE...: every service read first for prom,
 * whose metrics group the services; one line each as read for json. */
static void machine_status(char **names, int n)
{
	/* json needs one service at a time; prom keeps them all */
	int all = sv.args.format == OUT_PROM;
	size_t keep = all ? (size_t)n : 1;
	struct svread *reads = calloc(keep * 2, sizeof *reads);
	struct svfmt_slot *slots = calloc(keep * 2, sizeof *slots);
	size_t nslots = 0;
	int lsb_rc = 0;

	if (!reads || !slots)
		out_of_memory();
	for (int i = 0; i < n; i++) {
		size_t k = all ? (size_t)i : 0;
		struct svread *svc = &reads[2 * k], *log = &reads[2 * k + 1];
		int has_log;

		read_service(names[i], svc, log, &has_log, read_slot_settled, 0);
		if (i == 0)
			lsb_rc = lsb_code(svc);
		if (sv.args.format == OUT_JSON) {
			svfmt_json(&stdout_fmt, &svc->slot, has_log ? &log->slot : 0, sv.now_label);
		} else {
			slots[nslots++] = svc->slot;
			if (has_log)
				slots[nslots++] = log->slot;
		}
		if (!all) {
			free(svc->name);
			free(log->name);
		}
	}
	if (sv.args.format == OUT_PROM)
		svfmt_prom(&stdout_fmt, slots, nslots);
	out_flush();
	for (size_t i = 0; all && i < 2 * keep; i++)
		free(reads[i].name);
	free(reads);
	free(slots);
	if (sv.args.lsb)
		lsb_exit(lsb_rc);
}

/* ---- waiting: sleep until runsv changes something, or a timer is due ---- */

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t now_label(void)
{
	struct tain t;

	tain_now(&t);
	return t.sec;
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
		not_running('x'); /* "ok: NAME: runsv not running" */
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
		warning("unable to open supervise/ok", errno);
		return -1;
	}
	if (read_status(&st) < 0)
		return -1;
	q.st = v.st = &st;
	if (!svwait_reached(ctl, &v))
		return 0;
	out_put("ok: ");
	print_status(sv.name, &st);
	out_put("\n");
	out_flush();
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
	out_put(sv.args.cmd.kill_on_timeout ? "kill: " : "timeout: ");
	if (get_status(&st) > 0) {
		print_status(s->name, &st);
		count_error();
	}
	out_put("\n");
	out_flush();
	if (sv.args.cmd.kill_on_timeout) {
		struct tain sent;

		send_control("k", &sent);
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

static int ms_until(uint64_t at, uint64_t now_ms)
{
	if (at <= now_ms)
		return 0;
	return at - now_ms > INT_MAX ? INT_MAX : (int)(at - now_ms);
}

static void wait_all(struct service *svc, int n)
{
	struct wait_state ws = { svc, n };
	struct svwatch watch;
	uint64_t start = mono_ms(), limit_ms;
	int timed_out = 0;

	/* Give up when runit would: at its first 420 ms round past the timeout.
	 * Success is reported at once; failure shows the same, settled state. */
	limit_ms = sv.args.wait_sec > UINT64_MAX / 2000 ? UINT64_MAX / 2 :
	    (sv.args.wait_sec * 1000 / POLL_RUNIT_MS + 1) * POLL_RUNIT_MS;
	held.svc = svc;
	held.n = n;
	if (svwatch_open(&watch) == 0 && (watch.fd = spare_fd(watch.fd)) < 0)
		svwatch_close(&watch);
	for (int i = 0; i < n; i++)
		svc[i].dirty = 1;
	for (;;) {
		uint64_t now_ms = mono_ms(), next = start + limit_ms;
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
		sv.now_label = now_label();
		for (int i = 0; i < n; i++) {
			struct service *s = &svc[i];

			if (!s->pending)
				continue;
			if (s->dirty || (s->due_ms && s->due_ms <= now_ms)) {
				s->dirty = 0;
				s->due_ms = 0;
				sv.name = s->name;
				if (enter_service(s->name, 0) < 0 || look(&watch, i, s, now_ms, timed_out)) {
					if (s->orphaned)
						hold_end(s, 0);
					s->pending = 0;
					svwatch_disarm(&watch, i, &s->watch);
				}
				leave_service();
			}
			if (!s->pending)
				continue;
			pending++;
			if (s->due_ms && s->due_ms < next)
				next = s->due_ms;
		}
		if (!pending)
			break;
		(void)loop_poll(&pfd, watch.fd >= 0, ms_until(next, now_ms));
		if (svwatch_read(&watch, mark_dirty, &ws) < 0)
			mark_dirty(&ws, -1);
	}
	svwatch_abandon(&watch);
}

/* INT and TERM as events on a descriptor: they end watch and log -f with 0.
 * A shell starts background jobs with INT ignored: INT must still work. */
static int stop_signals(void)
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
		fatal("unable to create signal descriptor");
	return fd;
}

/* ---- watch: a line per state change, woken by inotify only ---- */

/* What makes a new line: the state, pid and pause of each slot, or its
 * error. want and TERM come and go within one runsv update, faster than
 * sv can read them, so they would make lines that come and go too. */
struct watch_key {
	int result; /* 2: no such slot (no log directory) */
	unsigned char state, paused;
	uint32_t pid;
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
};

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
}

static void put_slot_text(const struct svread *r, const char *label)
{
	if (r->slot.error) {
		out_put(r->fail ? "fail: " : "warning: ");
		out_put(r->slot.name);
		out_put(": ");
		out_put(r->error);
		return;
	}
	put_status(label, &r->slot.st, r->slot.normally_up);
}

/* One line: the local time and the sv status line, or the JSON object. */
static void watch_line(const struct svread *svc, const struct svread *log, int has_log)
{
	if (sv.args.format == OUT_JSON) {
		svfmt_json(&stdout_fmt, &svc->slot, has_log ? &log->slot : 0, sv.now_label);
	} else {
		char when[SVFMT_TIME_MAX];
		struct tain now;

		tain_now(&now);
		out_write(when, svfmt_localtime(when, tain_unix(&now), now.nano));
		out_put(" ");
		put_slot_text(svc, svc->slot.name);
		if (!svc->slot.error && has_log) {
			out_put("; ");
			put_slot_text(log, "log");
		}
		out_put("\n");
	}
	out_flush();
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
	int has_log, err;

	memset(&svc, 0, sizeof svc);
	memset(&log, 0, sizeof log);
	s->polled = 0;
	sv.name = s->name;
	err = read_service(s->name, &svc, &log, &has_log, watch_slot, &look);
	if (err) {
		char parent[PATH_MAX];

		/* followed still: made again (a reinstall) it is looked at */
		svwatch_disarm(w, 2 * i + 1, &s->log_w);
		if ((err != ENOENT && err != ENOTDIR) || service_parent(s->name, parent, sizeof parent) < 0 ||
		    svwatch_arm_parent(w, 2 * i, &s->main_w, parent) < 0)
			s->polled = 1;
		else if (chdir_service(s->name, 1) == 0)
			s->dirty = 1; /* made between the look and the watch */
		leave_service();
	}
	/* read between runsv's info and status: what is shown waits for the
	 * status, whose rename is an event, or for a moment at most */
	if (svc.due || log.due) {
		uint64_t now = mono_ms();

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
	if (!s->seen || memcmp(&mk, &s->main_k, sizeof mk) || memcmp(&lk, &s->log_k, sizeof lk)) {
		/* a new process replaced the old between two looks (a restart):
		 * show the old one's end, so that every restart is two lines */
		if (s->seen && s->main_k.result == 1 && mk.result == 1 && s->main_k.pid &&
		    mk.state == SV_RUN && mk.pid != s->main_k.pid && s->main_k.state != SV_DOWN) {
			struct svread gone = svc;

			gone.slot.st.pid = 0;
			gone.slot.st.state = SV_DOWN;
			gone.slot.st.paused = gone.slot.st.term = 0;
			gone.slot.info = 0;
			if (svc.slot.info && svc.slot.info->exit_kind != SVINFO_EXIT_NONE)
				gone.slot.st.stamp = svc.slot.info->exit_at;
			watch_line(&gone, &log, has_log);
		}
		watch_line(&svc, &log, has_log);
		s->main_k = mk;
		s->log_k = lk;
		s->seen = 1;
	}
	free(log.name);
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

/* sv watch SERVICE...: the current state of each, then a line per change,
 * until SIGINT, SIGTERM or the reader gone (exit 0). Asleep in poll meanwhile. */
static _Noreturn void watch_all(char **names, int n)
{
	struct watched *w = calloc((size_t)n, sizeof *w);
	struct watch_state ws = { w, n };
	struct svwatch watch;
	struct pollfd pfd[3];
	int sigfd;

	if (!w)
		out_of_memory();
	sigfd = stop_signals();
	if (svwatch_open(&watch) < 0)
		diag("warning", errno, "unable to watch with inotify: looking every 420 ms");
	for (int i = 0; i < n; i++) {
		w[i].name = names[i];
		w[i].main_w = w[i].log_w = (struct svwatch_slot)SVWATCH_SLOT_INIT;
		w[i].dirty = 1;
	}
	pfd[0] = (struct pollfd){ sigfd, POLLIN, 0 };
	pfd[1] = (struct pollfd){ watch.fd, POLLIN, 0 };
	pfd[2] = reader_pollfd();
	for (;;) {
		uint64_t now = mono_ms(), next = UINT64_MAX;

		sv.now_label = now_label();
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
		(void)loop_poll(pfd, 3, next == UINT64_MAX ? -1 : ms_until(next, now));
		if (loop_next_signal(sigfd) || reader_gone(&pfd[2])) {
			out_flush();
			exit(0);
		}
		if (svwatch_read(&watch, watch_mark, &ws) < 0)
			watch_mark(&ws, -1);
	}
}

/* ---- log: the service's svlogd directory, read and followed ---- */

/* The log directory of the service whose directory is the current one, as
 * an open descriptor: where its running svlogd writes (its first log
 * directory, relative to its working directory), else log/main. -1 reported. */
static int open_log_dir(void)
{
	struct sv_status st;
	char buf[8192], *argv[64];
	const char *dir = 0;
	pid_t svlogd = 0;
	int fd, argc;

	if (chdir("log") < 0) {
		fail("unable to change to log directory", errno);
		return -1;
	}
	sv.islog = 1;
	if (supervise_alive("supervise/ok") == 1 && status_read("supervise/status", &st) == 0 &&
	    st.pid && st.state == SV_RUN)
		svlogd = svlog_find_svlogd((pid_t)st.pid);
	if (svlogd && (argc = svlog_cmdline(svlogd, buf, sizeof buf, argv, 64)) > 1)
		dir = svlog_dir_arg(argc - 1, argv + 1);
	if (dir) {
		char link[sizeof "/proc//root" + FMT_ULONG];
		const char *rel = dir;
		int base;

		/* as svlogd sees it: relative to its working directory (normally
		 * this log/), absolute from its root; both through /proc, so that
		 * another mount namespace or a directory since renamed is no matter */
		snprintf(link, sizeof link, "/proc/%ld/%s", (long)svlogd, dir[0] == '/' ? "root" : "cwd");
		while (*rel == '/')
			rel++;
		base = open(link, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (base >= 0) {
			fd = openat(base, *rel ? rel : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			close_fd(base);
		} else {
			/* svlogd gone meanwhile: the path as sv sees it */
			fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		if (fd < 0) {
			out_put("fail: ");
			out_put(sv.name);
			out_put("/log: unable to open svlogd's log directory ");
			out_put(dir);
			out_put(": ");
			out_put(errstr(errno));
			out_put("\n");
			out_flush();
			count_error();
		}
		sv.islog = 0;
		return fd;
	}
	fd = open("main", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fail(errno == ENOENT ? "unable to find the log directory: no svlogd runs, no log/main" :
		    "unable to open log/main", errno == ENOENT ? DIAG_NOERR : errno);
	sv.islog = 0;
	return fd;
}

struct logged {
	const char *name;
	int dirfd;
	int wd;
	int told;       /* following: its first trouble was reported */
	struct svlog_reader rd;
	struct svlog_follow follow;
	char *prefix;
};

static void put_log(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	out_write(s, n);
}

/* The warning for a log file left out: err 0 when it is not a regular
 * file (a link or a FIFO planted by the log's user). */
static void log_file_skipped(const char *file, int err)
{
	char msg[sizeof "unable to read log file : not a regular file" + NAME_MAX];

	snprintf(msg, sizeof msg, "unable to read log file %s%s", file,
	    err ? "" : ": not a regular file");
	warning(msg, err ? err : DIAG_NOERR);
}

/* While following, the first trouble of each log is told, not every poke's. */
static void follow_skipped(void *ctx, const char *file, int err)
{
	struct logged *l = ctx;

	if (l->told)
		return;
	l->told = 1;
	sv.name = l->name;
	log_file_skipped(file, err);
}

static void follow_poke(struct logged *l)
{
	if (svlog_follow_poke(&l->follow) < 0 && !l->told) {
		l->told = 1;
		sv.name = l->name;
		warning("unable to follow the log", errno);
	}
}

/* Prints the last lines (all without -n) of the directory's files, oldest
 * first, current last; returns current's descriptor, read to its end, for
 * following (-1 when there is none or when not following). */
static int print_log(struct logged *l)
{
	size_t n, file, shown;
	char **names;
	int cur = svlog_open(l->dirfd, "current");
	int cur_err = cur == -1 ? errno : 0; /* told in reading order, last */
	off_t off;

	names = svlog_list(l->dirfd, &n);
	if (!names) {
		warning("unable to read the log directory", errno);
		if (cur >= 0)
			close_fd(cur);
		return -1;
	}
	shown = svlog_before(l->dirfd, names, n, cur);
	if (!sv.args.lines_set)
		file = 0, off = 0;
	else if (svlog_tail(l->dirfd, names, shown, cur, sv.args.lines, &file, &off) < 0) {
		warning("unable to find the last lines, showing all", errno);
		file = 0, off = 0;
	}
	for (size_t i = file; i < shown; i++) {
		int fd = svlog_open(l->dirfd, names[i]);

		if (fd < 0) {
			/* pruned meanwhile */
			if (fd != -1 || errno != ENOENT)
				log_file_skipped(names[i], fd == -1 ? errno : 0);
			continue;
		}
		if (i == file && off > 0)
			(void)lseek(fd, off, SEEK_SET);
		if (svlog_read(&l->rd, fd) < 0)
			warning("unable to read the log", errno);
		svlog_flush(&l->rd);
		close_fd(fd);
	}
	svlog_free(names, n);
	if (cur < 0 && (cur != -1 || cur_err != ENOENT))
		log_file_skipped("current", cur_err);
	if (cur >= 0) {
		if (file == shown && off > 0)
			(void)lseek(cur, off, SEEK_SET);
		if (svlog_read(&l->rd, cur) < 0)
			warning("unable to read the log", errno);
		if (!sv.args.follow) {
			svlog_flush(&l->rd);
			close_fd(cur);
			cur = -1;
		}
	}
	out_flush();
	return cur;
}

struct logs {
	struct logged *l;
	int n;
};

static void log_event(void *ctx, const struct inotify_event *ev)
{
	struct logs *logs = ctx;
	int all = (ev->mask & IN_Q_OVERFLOW) != 0;

	/* svlogd's lock, state and newstate change too: only current matters */
	if (!all && !(ev->len && !strcmp(ev->name, "current")))
		return;
	for (int i = 0; i < logs->n; i++)
		if (logs->l[i].wd >= 0 && (all || ev->wd == logs->l[i].wd))
			follow_poke(&logs->l[i]);
}

/* Asleep until svlogd writes or rotates (inotify); INT, TERM or the reader gone end it, exit: the errors. */
static _Noreturn void follow_logs(struct logged *l, int n, int ifd)
{
	struct logs logs = { l, n };
	struct pollfd pfd[3];
	int sigfd;

	sigfd = stop_signals();
	pfd[0] = (struct pollfd){ sigfd, POLLIN, 0 };
	pfd[1] = (struct pollfd){ ifd, POLLIN, 0 };
	pfd[2] = reader_pollfd();
	for (;;) {
		(void)loop_poll(pfd, 3, -1);
		if (loop_next_signal(sigfd) || reader_gone(&pfd[2])) {
			out_flush();
			exit(sv.errors > ERRORS_MAX ? ERRORS_MAX : sv.errors);
		}
		(void)inotify_each(ifd, log_event, &logs);
		out_flush();
	}
}

/* sv log SERVICE...: each service's log; with -f, then what is added to
 * them, like tail -F, until INT, TERM or the reader gone. */
static int log_all(char **names, int n)
{
	struct logged *l = calloc((size_t)n, sizeof *l);
	int ifd = -1, following = 0;

	if (!l)
		out_of_memory();
	if (sv.args.follow && (ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		fatal("unable to follow with inotify");
	for (int i = 0; i < n; i++) {
		int cur;

		l[i].dirfd = l[i].wd = -1;
		l[i].name = sv.name = names[i];
		if (enter_service(names[i], 1) < 0) {
			leave_service();
			continue;
		}
		l[i].dirfd = open_log_dir();
		leave_service();
		if (l[i].dirfd < 0)
			continue;
		l[i].rd.put = put_log;
		l[i].rd.skipped = follow_skipped;
		l[i].rd.ctx = &l[i];
		if (n > 1) {
			size_t k = strlen(names[i]);

			if (!(l[i].prefix = malloc(k + 3)))
				out_of_memory();
			memcpy(l[i].prefix, names[i], k);
			memcpy(l[i].prefix + k, ": ", 3);
			l[i].rd.prefix = l[i].prefix;
		}
		cur = print_log(&l[i]);
		if (!sv.args.follow) {
			close_fd(l[i].dirfd);
			l[i].dirfd = -1;
		} else {
			char path[sizeof "/proc/self/fd/" + FMT_ULONG];

			snprintf(path, sizeof path, "/proc/self/fd/%d", l[i].dirfd);
			l[i].wd = inotify_add_watch(ifd, path, IN_MODIFY | IN_CREATE | IN_MOVED_TO |
			    IN_MOVED_FROM | IN_ONLYDIR);
			if (l[i].wd < 0) {
				warning("unable to follow the log", errno);
				if (cur >= 0)
					close_fd(cur);
				close_fd(l[i].dirfd);
				l[i].dirfd = -1;
				continue;
			}
			svlog_follow_start(&l[i].follow, l[i].dirfd, cur, &l[i].rd);
			/* what came between the read and the watch */
			follow_poke(&l[i]);
			following++;
		}
	}
	out_flush();
	if (following)
		follow_logs(l, n, ifd);
	return sv.errors;
}

int main(int argc, char **argv)
{
	struct service *svc;
	const char *env;
	int n, waiting;

	diag_prefix = 0;
	switch (sv_parse(argc, argv, &sv.args)) {
	case PARSE_VERSION:
		print_version();
		/* FALLTHROUGH */
	case PARSE_USAGE:
		if (sv.args.lsb)
			die_usage(EXIT_USAGE_LSB, sv.args.progname, USAGE_LSB);
		die_usage(EXIT_USAGE, "sv", USAGE_SV);
	case PARSE_OK:
		break;
	}
	sv.svdir = (env = getenv("SVDIR")) ? env : SV_DEFAULT_SVDIR;
	if (!sv.args.wait_set) {
		sv.args.wait_sec = SV_DEFAULT_WAIT;
		if ((env = getenv("SVWAIT")))
			scan_ulong(env, &sv.args.wait_sec);
	}
	sv.now_label = now_label();
	sv.curdir = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sv.curdir < 0)
		fatal("unable to open current directory");

	n = sv.args.nservices;
	svc = calloc((size_t)n, sizeof *svc);
	if (!svc)
		out_of_memory();
	if (sv.args.cmd.kind == CMD_WATCH)
		watch_all(sv.args.services, n);
	if (sv.args.cmd.kind == CMD_LOG)
		return log_all(sv.args.services, n) > ERRORS_MAX ? ERRORS_MAX : sv.errors;
	if (sv.args.cmd.kind == CMD_STATUS && sv.args.format != OUT_TEXT) {
		machine_status(sv.args.services, n);
		return sv.errors > ERRORS_MAX ? ERRORS_MAX : sv.errors;
	}
	waiting = sv.args.cmd.kind != CMD_STATUS &&
	    (sv.args.cmd.always_wait || (sv.args.verbose && sv.args.cmd.verbose_wait));
	for (int i = 0; i < n; i++) {
		svc[i] = (struct service){ .name = sv.args.services[i],
			.watch = SVWATCH_SLOT_INIT };
		sv.name = svc[i].name;
		if (enter_service(svc[i].name, 1) < 0) {
			leave_service();
			continue;
		}
		if (sv.args.cmd.kind == CMD_STATUS)
			show_status();
		else if (sv.args.cmd.kind == CMD_CHECK || send_control(sv.args.cmd.ctl,
		    &svc[i].sent) == 0)
			svc[i].pending = waiting;
		leave_service();
	}
	if (waiting)
		wait_all(svc, n);
	out_flush();
	return sv.errors > ERRORS_MAX ? ERRORS_MAX : sv.errors;
}
