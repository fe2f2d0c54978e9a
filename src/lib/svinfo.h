/* svinfo.h: supervise/info, runit-ng's text record of what the 20-byte status cannot hold. */
#ifndef RNG_SVINFO_H
#define RNG_SVINFO_H
#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "tai.h"

/*
 * supervise/info is written by runsv next to status, atomically (.new +
 * rename), before status on every update. One fact per line, KEY=VALUE,
 * every key always present, in this order; an empty value means "none".
 * Readers ignore keys they do not know, so keys may be added later.
 *
 *   pid=4987                       the child of the status record (0 none)
 *   since=1764502345.123456500     the status record's stamp, Unix time
 *   starts=3                       ./run starts since this runsv started
 *   last_exit=exit 1               how the last ./run ended: "exit N",
 *                                  "signal N", or empty before the first end
 *   last_exit_at=1764502340.000000500
 *   readiness=notify               none, fd (notification-fd) or notify
 *   ready_since=1764502345.400000500   empty while not ready; cleared when
 *                                  ./run exits
 *   status_text=listening on :80   the last STATUS= of sd_notify
 *   kill=cgroup                    how a stop reaches the service: process,
 *                                  pgrp or cgroup
 *   cgroup=/sys/fs/cgroup/unified/runsv-foo   empty unless kill=cgroup
 *   main_pid=4990                  the MAINPID= the service named (sd_notify),
 *                                  while that process lives; empty otherwise
 *   oneshot=done                   a oneshot's outcome: done (./run exited 0),
 *                                  failed (non-zero or a signal: last_exit
 *                                  says which); empty otherwise
 *   waiting_count=2                while ./run waits for its needs: how many
 *                                  are not ready; empty when not waiting
 *   waiting=db starting not ready yet|setup down wanted up
 *                                  those needs, in the order of the needs
 *                                  file, as far as SVINFO_WAIT_MAX allows:
 *                                  entries "NAME STATE REASON" split by '|'
 *                                  (a name holds neither blank nor '|'; a
 *                                  reason no '|'); STATE is one word of
 *                                  needs.h (missing, unsupervised, down,
 *                                  starting, failed, waiting, cycle, ...)
 *   readiness_error=unable to create the notify socket: permission denied
 *                                  why the readiness channel of this run
 *                                  could not be made (the service then
 *                                  stays not ready); empty when it was
 *   next_start=1764502346.123456500  while a restart waits out its delay
 *                                  (the one-second rule, restart-delay): when
 *                                  it is due; empty otherwise
 *   gave_up=5                      runsv gave up restarting (restart-limit, or
 *                                  ./finish exited 125): the ends it counted;
 *                                  empty otherwise
 *   template=getty@                an instance's template, and the instance
 *   instance=tty1                  (INSTANCE); both empty for other services
 *
 * pid and since repeat the status record so that a reader can tell an
 * info that belongs to the status it read (svinfo_matches) from a stale
 * one, e.g. left behind by a runsv that did not write info.
 */
#define SVINFO_FILE "info"
#define SVINFO_TEXT_MAX 256  /* STATUS= text kept, with its NUL */
#define SVINFO_PATH_MAX 1024 /* cgroup path kept, with its NUL */
#define SVINFO_WAIT_MAX 768  /* waiting= kept, with its NUL */
#define SVINFO_ERROR_MAX 96  /* readiness_error kept, with its NUL */
#define SVINFO_NAME_MAX 128  /* template or instance name kept, with its NUL */
#define SVINFO_MAX 3328      /* the whole file, formatted */

enum svinfo_exit { SVINFO_EXIT_NONE, SVINFO_EXIT_CODE, SVINFO_EXIT_SIGNAL };
enum svinfo_readiness { SVINFO_READY_NONE, SVINFO_READY_FD, SVINFO_READY_NOTIFY };
enum svinfo_kill { SVINFO_KILL_PROCESS, SVINFO_KILL_PGRP, SVINFO_KILL_CGROUP };
enum svinfo_oneshot { SVINFO_ONESHOT_NONE, SVINFO_ONESHOT_DONE, SVINFO_ONESHOT_FAILED };

struct svinfo {
	uint32_t pid;
	struct tain since;
	unsigned long starts;
	enum svinfo_exit exit_kind;
	int exit_value; /* exit code or signal number */
	struct tain exit_at;
	enum svinfo_readiness readiness;
	int ready;      /* ready_since is valid */
	struct tain ready_since;
	char status_text[SVINFO_TEXT_MAX];
	enum svinfo_kill kill;
	char cgroup[SVINFO_PATH_MAX];
	uint32_t main_pid; /* 0: none */
	enum svinfo_oneshot oneshot;
	int waiting;       /* waiting for needs: waiting_count and waiting are valid */
	unsigned long waiting_count;
	char waiting_list[SVINFO_WAIT_MAX]; /* waiting=, NUL-terminated */
	char readiness_error[SVINFO_ERROR_MAX]; /* "": none */
	int next_due;      /* next_start is valid */
	struct tain next_start;
	unsigned gave_up;  /* 0: has not */
	char template_name[SVINFO_NAME_MAX]; /* "" for a service that is no instance */
	char instance[SVINFO_NAME_MAX];
};

/* One entry of waiting=, as svinfo_wait_next splits it (not NUL-terminated). */
struct svinfo_wait_entry {
	const char *name, *state, *reason;
	size_t name_len, state_len, reason_len;
};
/* Splits the next entry off *p (a waiting= value); 0 when none is left. */
int svinfo_wait_next(const char **p, struct svinfo_wait_entry *e);

/* Formats the file; out must hold SVINFO_MAX bytes. Returns the length. */
size_t svinfo_format(char *out, const struct svinfo *in);
/* Parses the file. 0, or -1 when pid or since is missing or malformed
 * (then the file is not to be trusted at all). */
int svinfo_parse(const char *buf, size_t len, struct svinfo *out);
/* Reads and parses DIR/info (dirfd may be AT_FDCWD with "supervise/info").
 * 0; -1 with errno on open/read errors; 1 when the contents do not parse. */
int svinfo_read_at(int dirfd, const char *path, struct svinfo *out);
/* Does this info describe the same moment as this status record (pid and
 * since are the record's)? */
int svinfo_same_moment(const struct svinfo *info, const struct sv_status *st);

/*
 * A start announced: an info written while the slot was down and a start
 * was due (next_start) also describes that start's record, when the start
 * changed nothing else: runsv does not rewrite info then, which saves one
 * rename per restart of a crash loop. The reader derives the start's info:
 * pid and since are the record's, starts one more, next_start none, no
 * STATUS= text. It applies when the record shows ./run running, started
 * no earlier than SVINFO_START_EARLY_MS before next_start and no later than
 * SVINFO_START_LATE_MS after it (runsv writes info itself when its start
 * comes later: the window only bounds what an info left by another runsv
 * could be taken for). Returns 1 and makes *info the start's, or 0.
 */
#define SVINFO_START_EARLY_MS 50
#define SVINFO_START_LATE_MS 1000
int svinfo_derive_start(struct svinfo *info, const struct sv_status *st);

/* Does this info describe this status record, the same moment or the start
 * it announced? On a derived match *info is made the start's. */
int svinfo_matches(struct svinfo *info, const struct sv_status *st);
/* Keeps at most SVINFO_TEXT_MAX-1 bytes of text, each control byte turned
 * into a space, cut at a UTF-8 character boundary. */
void svinfo_set_text(char out[SVINFO_TEXT_MAX], const char *text, size_t len);
/* The wait status of ./run as last_exit's kind (exit or signal) and value. */
enum svinfo_exit svinfo_exit_of(int wstat, int *value);

/* Words of the enums, as written in the file. */
const char *svinfo_readiness_word(enum svinfo_readiness r);
const char *svinfo_kill_word(enum svinfo_kill k);
const char *svinfo_oneshot_word(enum svinfo_oneshot o);
#endif
