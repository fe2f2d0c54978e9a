/* sv.c: sv, the client that controls and queries runsv through supervise/, and its LSB init-script personality: the command line, the commands sent, status; the waiting, watch and log live in svcmd_*.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "diag.h"
#include "num.h"
#include "opt.h"
#include "status.h"
#include "svcmd_log.h"
#include "svcmd_wait.h"
#include "svcmd_watch.h"
#include "svfmt.h"
#include "svout.h"
#include "svread.h"
#include "svrun.h"

/* Debian's choice; 2.3.0 uses "/service/", Void "/var/service/". */
#ifndef SV_DEFAULT_SVDIR
#define SV_DEFAULT_SVDIR "/etc/service/"
#endif

#define SV_DEFAULT_WAIT 7
#define USAGE_SV "[-v] [-w sec] command service ..."
#define USAGE_LSB "[-w sec] command"

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
	while ((c = opt_next(&o, argc, argv, "w:vVo:fn:s")) != -1) {
		switch (c) {
		case 'o':
			if (scan_format(o.arg, &a->format) < 0)
				return PARSE_USAGE;
			a->format_set = 1;
			break;
		case 'f':
			a->follow = 1;
			break;
		case 's':
			a->strict = 1;
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
	if ((a->follow || a->lines_set || a->strict) && a->cmd.kind != CMD_LOG)
		return PARSE_USAGE;
	return PARSE_OK;
}

/* The services a control or status run goes through: file scope, so that
 * every way out frees them (an LSB status ends in the middle of the loop). */
static struct service *services;

/* The one way out after the command line: output flushed, heap freed. */
static _Noreturn void quit(int code)
{
	svout_flush();
	free(services);
	services = 0;
	exit(code);
}

/* One status line with the log part; in LSB mode it also decides the exit code. */
static void show_status(void)
{
	struct sv_status st;
	int r, main_rc;

	r = sv_get_status(&st);
	if (r < 0 && sv.args.lsb)
		quit(4);
	if (r <= 0)
		return;
	main_rc = sv_print_status(sv.name, &st);
	sv.islog = 1;
	if (chdir("log") < 0) {
		if (errno != ENOENT) {
			svout_put("; ");
			sv_warning("unable to change directory", errno);
		} else {
			svout_put("\n");
		}
	} else {
		svout_put("; ");
		r = sv_get_status(&st);
		if (r != 0) { /* after a failed read, st still holds the main record: runit prints it as the log's */
			sv_print_status("log", &st);
			svout_put("\n");
		}
	}
	sv.islog = 0;
	svout_flush();
	/* 2.3.0 takes the LSB code from the main service (2.1.2 used the log's) */
	if (sv.args.lsb)
		quit(main_rc == 1 ? 0 : main_rc == 2 ? 3 : 4);
}

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

static const char *operand(const void *ctx, size_t i)
{
	return ((char *const *)ctx)[i];
}

/* sv -o json|prom status SERVICE...: every service read first for prom,
 * whose metrics group the services; one line each as read for json. Each
 * service once, however often it is named (a series twice is an error to
 * Prometheus). */
static void machine_status(char **names, int n)
{
	/* json needs one service at a time; prom keeps them all */
	int all = sv.args.format == OUT_PROM;
	size_t keep = all ? (size_t)n : 1;
	struct svread *reads = calloc(keep * 2, sizeof *reads);
	struct svfmt_slot *slots = calloc(keep * 2, sizeof *slots);
	unsigned char *repeat = svfmt_repeats((size_t)n, operand, names);
	size_t nslots = 0;
	int lsb_rc = 0;

	if (!reads || !slots || !repeat)
		sv_out_of_memory();
	for (int i = 0; i < n; i++) {
		size_t k = all ? (size_t)i : 0;
		struct svread *svc = &reads[2 * k], *log = &reads[2 * k + 1];
		int has_log;

		if (repeat[i])
			continue;
		sv_read_service(names[i], svc, log, &has_log, sv_read_slot_settled, 0);
		if (i == 0)
			lsb_rc = lsb_code(svc);
		if (sv.args.format == OUT_JSON) {
			svfmt_json(&sv_stdout_fmt, &svc->slot, has_log ? &log->slot : 0, sv.now_label);
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
		svfmt_prom(&sv_stdout_fmt, slots, nslots);
	svout_flush();
	for (size_t i = 0; all && i < 2 * keep; i++)
		free(reads[i].name);
	free(reads);
	free(slots);
	free(repeat);
	if (sv.args.lsb)
		quit(lsb_rc);
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
	sv.now_label = sv_now_label();
	sv.curdir = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sv.curdir < 0)
		sv_fatal("unable to open current directory");

	n = sv.args.nservices;
	if (sv.args.cmd.kind == CMD_WATCH)
		sv_watch_all(sv.args.services, n);
	if (sv.args.cmd.kind == CMD_LOG)
		quit(sv_log_all(sv.args.services, n));
	if (sv.args.cmd.kind == CMD_STATUS && sv.args.format != OUT_TEXT) {
		machine_status(sv.args.services, n);
		quit(sv_exit_code());
	}
	svc = services = calloc((size_t)n, sizeof *svc);
	if (!svc)
		sv_out_of_memory();
	waiting = sv.args.cmd.kind != CMD_STATUS &&
	    (sv.args.cmd.always_wait || (sv.args.verbose && sv.args.cmd.verbose_wait));
	if (waiting)
		sv.wait_start = sv_mono_ms();
	for (int i = 0; i < n; i++) {
		svc[i] = (struct service){ .name = sv.args.services[i],
			.watch = SVWATCH_SLOT_INIT };
		sv.name = svc[i].name;
		if (sv_enter_service(svc[i].name, 1) < 0) {
			sv_leave_service();
			continue;
		}
		/* just linked into the scan directory: a waiting command waits,
		 * within its timeout, for runsvdir to start the runsv (an exit
		 * wants none); without a wait the answer is runit's */
		if (waiting && sv.args.cmd.ctl[0] != 'x' && supervise_alive("supervise/ok") < 0 &&
		    errno == ENOENT)
			(void)sv_await_runsv(sv.args.wait_sec > UINT64_MAX / 4000 ? UINT64_MAX / 2 :
			    sv.wait_start + sv.args.wait_sec * 1000);
		if (sv.args.cmd.kind == CMD_STATUS)
			show_status();
		else if (sv.args.cmd.kind == CMD_CHECK || sv_send_control(sv.args.cmd.ctl,
		    &svc[i].sent) == 0)
			svc[i].pending = waiting;
		sv_leave_service();
	}
	if (waiting)
		sv_wait_all(svc, n);
	quit(sv_exit_code());
}

