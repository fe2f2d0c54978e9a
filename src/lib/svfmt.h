/* svfmt.h: sv's status for machines: JSON lines, Prometheus text, and ISO-8601 local times. */
#ifndef RNG_SVFMT_H
#define RNG_SVFMT_H
#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "svinfo.h"
#include "tai.h"

/* One slot (a service, or its log service) as sv read it. */
struct svfmt_slot {
	const char *name;          /* as given; NAME/log for the log service */
	const char *error;         /* set: nothing else was read ("runsv not running", ...) */
	struct sv_status st;
	int normally_up;           /* 1 up, 0 down (a down file), -1 unknown */
	int want_exit;             /* supervise/stat says want exit (the record says only 'd') */
	const struct svinfo *info; /* runit-ng's supervise/info matching st, or NULL */
};

/* Where the text goes: put(ctx, bytes, n). */
struct svfmt_out {
	void (*put)(void *ctx, const char *s, size_t n);
	void *ctx;
};

/*
 * One JSON object and a newline. now is the TAI64 second "seconds" counts
 * to (as sv status does). log: the log service's slot, or NULL for "log":
 * null (no log directory). Strings are valid JSON whatever their bytes:
 * control bytes escaped, invalid UTF-8 as U+FFFD; names in their shown
 * form (svfmt_name).
 */
void svfmt_json(const struct svfmt_out *o, const struct svfmt_slot *s,
    const struct svfmt_slot *log, uint64_t now);

/* A JSON string (with its quotes). */
void svfmt_json_string(const struct svfmt_out *o, const char *s, size_t n);

/*
 * A service name as JSON and Prometheus show it, distinct and reversible
 * whatever its bytes: a name that is UTF-8 without a backslash as it is;
 * any other with each backslash doubled and each byte that is not UTF-8
 * as \xHH (lower-case hex). Writes it to out (unless NULL) and returns
 * its length, at most 4 * n.
 */
size_t svfmt_name(char *out, const char *s, size_t n);
/* The name's shown form as a JSON string (with its quotes). */
void svfmt_json_name(const struct svfmt_out *o, const char *name);

/* Prometheus text exposition of n slots: every metric's HELP and TYPE
 * once, then its samples, labelled service="NAME" (the shown form); a
 * slot whose name came before is left out: no series twice. */
void svfmt_prom(const struct svfmt_out *o, const struct svfmt_slot *slots, size_t n);

/* Which of n names repeat one that came before: a malloc'd array of n
 * flags, or NULL when there is no memory (then take none as a repeat). */
unsigned char *svfmt_repeats(size_t n, const char *(*name_of)(const void *ctx, size_t i),
    const void *ctx);

/* Local time, ISO 8601 with microseconds and the UTC offset:
 * "2026-11-30T13:05:09.123456+01:00". */
#define SVFMT_TIME_MAX 40
size_t svfmt_localtime(char out[SVFMT_TIME_MAX], int64_t unix_sec, uint32_t nano);
#endif
