/* journal.h: svlogd's recovery protocol: the batch record in each log directory's lock, the journal in one of them, their encoding, and the state that keeps them. */
#ifndef RNG_JOURNAL_H
#define RNG_JOURNAL_H
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "tai.h"

/*
 * A lock file is laid out as: the batch record at 0, the journal head at
 * JOURNAL_HEAD_AT, the journal's bytes from JOURNAL_AT on (only the journal's
 * home, one lock, has the last two). Both records are encoded field by field,
 * little-endian, with a format version and a CRC-32C: a record that fails its
 * checks reads as JREAD_DAMAGED and is trusted for nothing.
 */
#define JOURNAL_HEAD_AT 256
#define JOURNAL_AT 512
#define JOURNAL_KEEP (4096 - JOURNAL_AT) /* past this, an emptied journal is cut back: the lock keeps to a page */
#define JOURNAL_BATCH_MAX 65536 /* a batch's input in the pipe: one peek at most */
#define JOURNAL_VERSION 3
#define JRECORD_SIZE 140
#define JHEAD_SIZE 72

struct jorigin {
	uint64_t dev, ino;        /* of the pipe */
	unsigned char boot[16];   /* the kernel's boot id */
};

/* A batch, announced in every directory's lock before its write. */
struct jrecord {
	struct jorigin origin;
	uint64_t home_dev, home_ino; /* the lock holding the journal */
	uint64_t seq;             /* batches are numbered, from 1 */
	uint64_t gen, jmark;      /* journal generation; where the batch's marker goes */
	uint64_t carry;           /* bytes of the batch already in the journal, before jmark */
	uint64_t len;             /* bytes of the batch in the pipe */
	uint64_t mlen;            /* of those, moved into the journal: 1, or all of them */
	uint64_t before, after;   /* size of current around the write */
	uint64_t cur_ino;         /* which current */
	unsigned char first, last; /* first and last byte of the batch in the pipe */
	unsigned char inbody0, sel0; /* at its start: a line in its body; this directory writing it */
	unsigned char inbody1, sel1; /* at its end */
	unsigned char eof;        /* input ended with it */
};

/* The journal's head: which pipe, which generation, where a held head starts. */
struct jhead {
	struct jorigin origin;
	uint64_t gen;             /* moves on whenever the journal's past is void */
	uint64_t carry_at;        /* where the held head starts */
	struct tain first;        /* when its first byte arrived */
};

enum { JREAD_NONE, JREAD_OK, JREAD_DAMAGED };

/*
 * Every system call the journal and recovery make, through this table: the
 * real calls by default; tests/unit/journal_sim.c puts a simulated file
 * system and pipe behind it, and kills the writer at any one of them. The
 * calls are plain (no EINTR loop: the unit loops where it must).
 */
struct journal_sys {
	int (*openat)(int dirfd, const char *name, int flags);
	int (*close)(int fd);
	int (*fstat)(int fd, struct stat *st);
	int (*fstatat)(int dirfd, const char *name, struct stat *st, int flags);
	ssize_t (*read)(int fd, void *buf, size_t n);
	ssize_t (*pread)(int fd, void *buf, size_t n, off_t off);
	ssize_t (*pwrite)(int fd, const void *buf, size_t n, off_t off);
	/* moves n bytes from the pipe in to file out at *off, as splice(2) */
	ssize_t (*splice)(int in, int out, off_t *off, size_t n);
	int (*ftruncate)(int fd, off_t size);
	int (*flock)(int fd, int op);
};
extern struct journal_sys journal_sys;

void jrecord_encode(unsigned char out[JRECORD_SIZE], const struct jrecord *r);
/* JREAD_OK and *r; JREAD_NONE for nothing (an empty or zeroed place);
 * JREAD_DAMAGED for anything else: another version, a bad sum, or fields
 * that cannot be (a batch past JOURNAL_BATCH_MAX, before after after...). */
int jrecord_decode(struct jrecord *r, const unsigned char *in, size_t n);
void jhead_encode(unsigned char out[JHEAD_SIZE], const struct jhead *h);
int jhead_decode(struct jhead *h, const unsigned char *in, size_t n);
uint32_t journal_crc32c(const unsigned char *p, size_t n);

/* The writer's state: one per svlogd. */
struct journal {
	int fd;                   /* the journal's lock, open; -1: no journal kept */
	int in;                   /* the input pipe */
	int home;                 /* index of the directory whose lock it is */
	int home_changed;         /* that directory was dropped or reopened */
	uint64_t home_dev, home_ino;
	uint64_t size;            /* of the lock: JOURNAL_AT + the journal's bytes */
	uint64_t gen, seq;
	uint64_t carry;           /* the held head's bytes in the journal */
	uint64_t taken;           /* input before this is out of the pipe */
	uint64_t inpos;           /* input position of what is being fed */
	uint64_t fed;             /* input before this was fed (on a pipe: the tail
	                           * of a held head may wait there, fed, not taken) */
	uint64_t peek_at;         /* input position of the peek buffer's first byte */
	int inbody0;              /* a line is in its body where the last batch ended */
	struct jorigin origin;
	int provable;             /* origin tells this pipe from any other */
};

void journal_init(struct journal *j, int in);
/* Opens the journal in lockname under dirfd as directory home's, and reads
 * its head: JREAD_* in *hstate. -1 with errno if it cannot be opened. */
int journal_open(struct journal *j, int dirfd, int home, struct jhead *h, int *hstate);
/* The head, with a held head at carry_at that began at first (or none). */
void journal_store_head(struct journal *j, uint64_t carry_at, const struct tain *first);
/* Stops keeping the journal; what and err say why (a warning). */
void journal_lost(struct journal *j, const char *what, int err);
/* Closes off the journal in its old home (a next svlogd finds no batch in
 * the pipe there) and forgets it. */
void journal_close_off(struct journal *j);
/* Cuts an emptied journal back once it passed JOURNAL_KEEP. */
void journal_trim(struct journal *j);
/* Takes n bytes off the pipe into the journal, or reads them into buf if
 * it refuses them. */
void journal_move_or_drop(struct journal *j, char *buf, uint64_t n);
/* Takes the batch input [taken, upto) out of the pipe; buf holds it (the
 * peek); whole: move all of it into the journal, not its last byte only. */
void journal_take(struct journal *j, const char *buf, uint64_t upto, int whole);
/* A record for the batch [taken, upto) of buf (the peek), ready for each
 * directory's own fields. */
void journal_batch(struct journal *j, struct jrecord *r, const char *buf,
    uint64_t upto, int inbody, int eof);
int journal_store_record(int lockfd, const struct jrecord *r);

/* A log directory as a batch step sees it: the writer's own state. */
struct jbatch_dir {
	int ok;                   /* in use */
	int lockfd;
	uint64_t size;            /* of current, before the batch */
	uint64_t olen;            /* the batch's bytes for current */
	uint64_t cur_ino;
	int sel0, sel1;           /* writing a line in its body at the batch's start, end */
};

/* The writer's directories: their state, and the write of one's batch
 * (all of it, or it pauses until it can: it does not return short). */
struct journal_dirs {
	int n;
	void *ctx;
	void (*state)(void *ctx, int i, struct jbatch_dir *out);
	void (*write)(void *ctx, int i);
};

/* r, with each directory's own fields, in every directory's lock: best
 * effort, but the journal is lost if its home's cannot be written. */
void journal_store_records(struct journal *j, const struct journal_dirs *w, struct jrecord *r);
/*
 * One batch step: the output of the input fed since the last batch, up to
 * input position upto, where a line is in its body (inbody) or not, the
 * input ending there (eof) or not. With a journal: records, the writes,
 * the take of the pipe's part, and at eof a new generation; without:
 * the writes, and the take if take (the input is peeked at). 0 if there was
 * nothing to do.
 */
int journal_commit(struct journal *j, const struct journal_dirs *w, const char *buf,
    uint64_t upto, int inbody, int eof, int take);
/* What the pipe holds from taken to fed is a line's incomplete head: into
 * the journal (its head announced with first, when it starts there), so
 * that the pipe empties and the writer's next bytes wake the reader. */
void journal_hold(struct journal *j, char *buf, const struct tain *first);
/*
 * Moves the journal to directory home (dirfd, its directory) when its
 * lock is no longer one the writer holds, with the held head (held: its
 * first j->carry bytes, which began at first): the held bytes and the new
 * head in the new lock first, then a record naming the new home in every
 * directory's lock, and only then the old home closed off, so that a kill
 * anywhere leaves the held head where the newest record points. Returns
 * the new home's head state (JREAD_*), or -1 if the journal is lost (a
 * warning said so).
 */
int journal_rehome(struct journal *j, const struct journal_dirs *w, int home, int dirfd,
    const char *held, const struct tain *first);
/*
 * Whether that head may wait in the pipe, fed but not taken, instead:
 * when the writer is woken for at each write (wakes: the kernel wakes the
 * reader at each write to a pipe that is not empty, and the reader judges
 * the writer one that trickles), the journal is kept, the pipe can be told
 * from any other, and the head is at most wait_max bytes (well below the
 * smallest pipe, so that the writer never blocks on it). Its start, then,
 * is in the pipe only: a next reader of the same pipe reads it again; on
 * another pipe it is gone with the pipe, as any byte left there.
 */
int journal_head_may_wait(const struct journal *j, int wakes, uint64_t wait_max);
/* The record in a lock: JREAD_*. */
int journal_read_record(int lockfd, struct jrecord *r);

/*
 * Where the newest batch c stands on the same pipe (same): its bytes
 * moved into the journal per its record say whether it is out of the pipe.
 * Returns 1 if it is still pending (all of it to be read again), 0 if not;
 * finishes a take a kill cut short; peek_first gives the pipe's first byte
 * (1) or says it is empty (0). *same becomes 0 when the pipe is found not to
 * be what the record says.
 */
int journal_settle(struct journal *j, const struct jrecord *c, int *same,
    int (*peek_first)(unsigned char *b), char *buf);

/* A log directory as recovery sees it. */
struct jdir {
	/* given */
	int ok;                   /* in use */
	int fd, lockfd;           /* the directory (paths are relative to it), its lock */
	const char *name;         /* for messages */
	uint64_t batch_room;      /* the most one batch can add to its current */
	/* found */
	struct jrecord rec;       /* its record, if rec_state is JREAD_OK */
	int rec_state;
	int rec_ok;               /* current is the record's and ends where it says
	                           * (a torn write cut back included) */
	uint64_t skip;            /* input before this is in current already */
	int skip_sel;             /* writing a line in its body at skip */
	int sel;                  /* writing a line in its body where the input resumes */
};

/* What recovery leaves to be done once every current is open. */
struct jreplay {
	char *bytes;              /* the held head to feed again (malloc'd), or 0 */
	size_t n;
	struct tain first;        /* when its first byte arrived */
	int resume_body;          /* the input resumes in a line's body */
	int ends;                 /* the input is another: what is fed again ends */
};

/*
 * At start-up, with the directories and their locks open and no current
 * touched yet: settles what a killed svlogd left (see svlogd.c's protocol).
 * Reads every record, opens the journal where the newest one says (j->fd;
 * -1 if it cannot, with a warning), decides whether the input is the same,
 * finishes a take a kill cut short, cuts back a torn write whose batch the
 * pipe gives again, and says per directory what it has already (skip) and
 * whether it writes a line's body, and in *rp what to feed again. j->seq
 * ends as the newest record's; j->taken, carry, fed as the replay's length.
 */
void journal_recover(struct journal *j, struct jdir *d, int n, size_t linemax,
    int (*peek_first)(unsigned char *b), char *buf, struct jreplay *rp);
#endif
