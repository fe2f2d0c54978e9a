/* svread.h: one read of a supervised slot, quiet: liveness, the status record, the down file, want exit, and the supervise/info that matches. */
#ifndef RNG_SVREAD_H
#define RNG_SVREAD_H
#include "svfmt.h"
#include "svinfo.h"

/* A slot as sv status reads it, for the machine outputs and watch: what
 * went wrong goes into error, in the words of sv status's line. */
struct svread {
	struct svfmt_slot slot; /* slot.error points to error when set */
	struct svinfo info;     /* slot.info points here when it matches */
	char *name;             /* NAME/log, allocated by the caller */
	char error[128];
	int result;             /* 1 read, 0 runsv not running, -1 not readable */
	int fail;               /* the error is a fail: line in text, else a warning: line */
	int due;                /* read between runsv's info and status: a newer
	                         * record is about to be renamed into place */
};

/* Sets the error (WHAT, and ": " and runit's errno text unless err is
 * DIAG_NOERR); returns result. */
int svread_error(struct svread *r, const char *what, int err, int result);

/* Reads the slot whose directory is the current one (supervise/ and down
 * in it), without waiting for anything. An info that does not match the
 * record but is not older than it was written just before a new record:
 * r->due is set, and the caller reads again when runsv has renamed the
 * record into place (an IN_MOVED_TO in supervise/). A down file that
 * cannot be stat'ed warns on stderr, as sv status does. Returns r->result. */
int svread_slot(struct svread *r, const char *name);

/* Is this info newer than the record (runsv writes info first)? */
int svread_info_ahead(const struct svinfo *info, const struct sv_status *st);
#endif
