/* status.h: the supervise/ status record (20 bytes) and the stat text line. */
#ifndef RNG_STATUS_H
#define RNG_STATUS_H
#include <stddef.h>
#include <stdint.h>

#include "tai.h"

#define STATUS_SIZE 20
#define STAT_LINE_MAX 64 /* longest stat line: "finish, paused, got TERM, want down\n" */

enum sv_state { SV_DOWN = 0, SV_RUN = 1, SV_FINISH = 2 };
enum sv_want { WANT_UP, WANT_DOWN, WANT_EXIT };

struct sv_status {
	struct tain stamp; /* last state change: start of ./run, or becoming down */
	uint32_t pid;      /* 0 when no child */
	unsigned char paused;
	unsigned char want;  /* as on disk: 'u' or 'd' (exit is stored as 'd') */
	unsigned char term;  /* TERM sent and child not yet reaped */
	unsigned char state; /* enum sv_state; readers must tolerate other values */
};

/* Byte 17 for a want; WANT_EXIT is recorded as 'd'. */
unsigned char status_want_byte(enum sv_want w);
void status_pack(unsigned char out[STATUS_SIZE], const struct sv_status *s);
void status_unpack(const unsigned char in[STATUS_SIZE], struct sv_status *s);

/* Reads path; returns 0, -1 with errno on open/read failure, or 1 when the
 * file is not exactly STATUS_SIZE bytes. */
int status_read(const char *path, struct sv_status *s);
/* The same from an open descriptor, so callers can tell open from read
 * failures; s is left untouched unless 0 is returned. */
int status_read_fd(int fd, struct sv_status *s);

/* The supervise/stat line, with its newline; returns its length (< STAT_LINE_MAX). */
size_t status_stat_line(char *out, enum sv_state state, int paused, int term,
    enum sv_want want);

/* Writes data to DIR/NAME.new and renames it to DIR/NAME, the way runsv
 * replaces pid, stat and status. Returns 0, or the failed step (1 open,
 * 2 write, 3 short write, 4 rename) with errno set; a failed or short
 * write unlinks the .new file. */
int status_replace(const char *dir, const char *name, const void *data, size_t len);
/* The same inside an open directory (runsv keeps supervise/ open). */
int status_replace_at(int dirfd, const char *name, const void *data, size_t len);
/* Is DIR/NAME (inside dirfd) a regular file that holds exactly these len
 * bytes (at most STAT_LINE_MAX)? 1 yes, 0 no or unknown. A rewrite that
 * would change nothing is left out with it: no rename, no disk wear. */
int status_holds_at(int dirfd, const char *name, const void *data, size_t len);
#endif
