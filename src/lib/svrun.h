/* svrun.h: what sv's commands share: the parsed command line, the run's state, runit's report lines, entering a service directory, and reading a service as sv status shows it. */
#ifndef RNG_SVRUN_H
#define RNG_SVRUN_H
#include <stdint.h>

#include "status.h"
#include "svfmt.h"
#include "svread.h"
#include "tai.h"

#define EXIT_USAGE 100
#define EXIT_USAGE_LSB 2
#define EXIT_FATAL_LSB 151
#define ERRORS_MAX 99

/* runit re-checks every 420 ms; we only fall back to that for a service
 * the kernel cannot tell us about (no inotify, no watch left). */
#define POLL_RUNIT_MS 420
/* runsv renames info, then status, back to back: a record found due is
 * given this long to arrive before what was read is shown anyway (the
 * most a whole command waits for such records, however many services) */
#define RECORD_DUE_MS 200

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
	int strict;             /* -s: log's lost files make the exit code */
};

/* The run: one sv process. */
struct sv_run {
	struct sv_args args;
	const char *svdir;
	int curdir;
	int errors;
	int islog;                /* describing NAME/log */
	const char *name;         /* the service operand being handled */
	uint64_t now_label;       /* TAI64 seconds for the age shown in status lines */
	uint64_t due_until;       /* status: records found due are waited for until then (0: not yet) */
	uint64_t wait_start;      /* monotonic ms the wait's timeout counts from (0: its own start) */
};
extern struct sv_run sv;

/* ---- reports ---- */
_Noreturn void sv_fatal(const char *what);
_Noreturn void sv_out_of_memory(void);
void sv_count_error(void);
/* The exit code: the errors counted, at most ERRORS_MAX. */
int sv_exit_code(void);
/* "PREFIX NAME[/log]: MSG[: ERR]\n" on stdout (err DIAG_NOERR: none). */
void sv_report(const char *prefix, const char *msg, int err);
void sv_fail(const char *msg, int err);
void sv_warning(const char *msg, int err);
/* "runsv not running": ok: for exit (first_ctl 'x'), else fail:. */
void sv_not_running(char first_ctl);

/* ---- service directories ---- */
/* Changes into the service directory. strict is the rule of the sending
 * phase; the waiting phase (runit's quirk) looks only at the first byte. */
int sv_chdir_service(const char *name, int strict);
/* The directory that holds the service directory name, as
 * sv_chdir_service(name, 1) finds it, relative to sv's own; -1 if too long. */
int sv_service_parent(const char *name, char *out, size_t size);
/* sv_chdir_service, reported as a fail. */
int sv_enter_service(const char *name, int strict);
void sv_leave_service(void);

/* ---- status lines ---- */
/* Reads supervise/status (warnings reported): 1 read, -1 not. */
int sv_read_status(struct sv_status *st);
/* Liveness and the record of the service in the current directory:
 * 1 read, 0 runsv not running, -1 could not tell (both already reported). */
int sv_get_status(struct sv_status *st);
/* The line's body from a record; normally_up -1 (unknown) prints neither
 * "normally" annotation. */
void sv_put_status(const char *label, const struct sv_status *st, int normally_up);
/* "STATE: LABEL: (pid P) Ns, annotations" without newline.
 * Returns 1 when a child runs, 2 when none, 0 when down could not be stat'ed. */
int sv_print_status(const char *label, const struct sv_status *st);
/* Sends ctl unless the service already wants it; *sent is when (or when
 * it was found redundant). 0 sent or redundant, -1 dropped. */
int sv_send_control(const char *ctl, struct tain *sent);

/* ---- services read for machines and watch ---- */
/* How sv_read_service reads a slot (which: 0 the service, 1 its log) in
 * the current directory: once for status, or with its watch armed for watch. */
typedef void sv_read_slot_fn(void *ctx, int which, struct svread *r, const char *name);
/* For a status shown once: a record found due is waited for, briefly,
 * since runsv writes the two back to back; RECORD_DUE_MS in all. */
void sv_read_slot_settled(void *ctx, int which, struct svread *r, const char *name);
/* A service and its log, as sv status shows them (the log only when the
 * service was read); has_log 0 when there is no log directory. Counts what
 * sv status counts. Returns 0, or why the service directory was not entered. */
int sv_read_service(const char *name, struct svread *svc, struct svread *log,
    int *has_log, sv_read_slot_fn *read_slot, void *ctx);
/* svfmt's output to sv's stdout */
extern const struct svfmt_out sv_stdout_fmt;

/* ---- time and signals ---- */
uint64_t sv_mono_ms(void);
/* TAI64 seconds now, for the ages of status lines */
uint64_t sv_now_label(void);
int sv_ms_until(uint64_t at, uint64_t now_ms);
/* INT and TERM as events on a descriptor: they end watch and log -f. */
int sv_stop_signals(void);
#endif
