/* fuzz/svlogd_line.c: libFuzzer harness for svlogd's input path: the same bytes fed whole and cut into reads must write the same files. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lineasm.h"
#include "logline.h"

/*
 * Input: a flags byte, a length byte (-l), a seed byte for the cuts, then
 * the log input. Two directories: one with rules and a prefix, one with
 * none. The bytes go through logline_feed and logline_finish as svlogd's
 * read loop drives them on plain reads (every batch written once its
 * input is fed, a held head left for the next read), once in one read and
 * once in reads cut where the seed says; every directory's current must
 * come out the same.
 */
#define NDIRS 2

static struct logdir dirs[NDIRS];
static struct logset set;
static struct logline lines;
static struct lineasm la;
static char conf[] = "-*drop*\n+*keep*\n-+x*\npPFX \n"; /* no e: alerts go to stderr */
static char *headroom;        /* the line assembler's room for a head */

/* svlogd's batch write, to a memfd */
static void write_batch(struct logdir *d)
{
	if (d->olen && write(d->curfd, d->obuf, d->olen) != (ssize_t)d->olen)
		abort();
	d->size += d->olen;
	d->olen = 0;
}

static void commit(uint64_t upto, int inbody, int eof)
{
	(void)upto;
	(void)inbody;
	(void)eof;
	for (int i = 0; i < NDIRS; i++)
		write_batch(&dirs[i]);
}

static void setup(void)
{
	static char *names[NDIRS] = { "rules", "plain" };
	static int once;
	char *text;

	if (once)
		return;
	once = 1;
	logset_init(&set, dirs, NDIRS, names);
	set.linemax = 256;
	set.write_batch = write_batch;
	logline_init(&lines, &set, &la, commit);
	lines.headbuf = malloc(256);
	headroom = malloc(256);
	text = malloc(sizeof conf);
	if (!lines.headbuf || !headroom || !text)
		abort();
	memcpy(text, conf, sizeof conf);
	if (logconf_parse(&dirs[0].conf, "rules", text, sizeof conf - 1) < 0)
		abort();
	for (int i = 0; i < NDIRS; i++) {
		struct logdir *d = &dirs[i];
		d->curfd = memfd_create(d->name, MFD_CLOEXEC);
		d->ok = 1;
		d->conf.sizemax = 0; /* rotation renames files: not here */
		d->ocap = logdir_batch_room(d);
		d->obuf = malloc(d->ocap);
		d->abuf = malloc(LOG_STAMP_LEN + d->conf.prefixlen + 256 + 4);
		if (d->curfd < 0 || !d->obuf || !d->abuf)
			abort();
	}
}

/* Feeds data[0..n) in reads ending at the cuts, as svlogd's read loop does
 * for plain reads. */
static void feed_all(const uint8_t *data, size_t n, unsigned seed)
{
	struct tain now = { TAI_OFFSET, 500 }, first;
	uint64_t inpos = 0;
	size_t at = 0, nheld;

	lineasm_init(&la, headroom, set.linemax);
	for (int i = 0; i < NDIRS; i++) {
		struct logdir *d = &dirs[i];
		d->olen = d->size = 0;
		d->sel = d->sel0 = 0;
		d->skip = 0;
		if (ftruncate(d->curfd, 0) < 0 || lseek(d->curfd, 0, SEEK_SET) < 0)
			abort();
	}
	while (at < n) {
		size_t len = n - at;
		if (seed) {
			seed = seed * 1103515245 + 12345;
			len = 1 + (seed >> 16) % (seed & 1 ? 3 : 2 * set.linemax + 2);
			if (len > n - at)
				len = n - at;
		}
		now.nano += 1000;
		logline_feed(&lines, inpos, (const char *)data + at, len, &now);
		inpos += len;
		(void)lineasm_held(&la, &nheld, &first);
		commit(inpos - nheld, lineasm_inbody(&la), 0);
		at += len;
	}
	logline_finish(&lines, inpos);
	commit(inpos, 0, 1);
}

static char *contents(int fd, size_t *n)
{
	struct stat st;
	char *p;

	if (fstat(fd, &st) < 0)
		abort();
	*n = (size_t)st.st_size;
	p = malloc(*n + 1);
	if (!p || pread(fd, p, *n, 0) != (ssize_t)*n)
		abort();
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *whole[NDIRS];
	size_t nwhole[NDIRS];

	if (size < 3)
		return 0;
	setup();
	lines.stamplevel = data[0] & 3;
	lines.replace_char = data[0] & 4 ? '_' : 0;
	lines.replace_set = "ab";
	set.linemax = 1 + data[1] % 200;
	unsigned seed = data[2] | 1u << 8;
	data += 3;
	size -= 3;
	if (size > 4 * LOG_INBUF)
		size = 4 * LOG_INBUF;

	feed_all(data, size, 0);
	for (int i = 0; i < NDIRS; i++)
		whole[i] = contents(dirs[i].curfd, &nwhole[i]);
	feed_all(data, size, seed);
	for (int i = 0; i < NDIRS; i++) {
		size_t n;
		char *cut = contents(dirs[i].curfd, &n);
		/* stamps differ by read: mask them as the property test does */
		if (lines.stamplevel)
			for (size_t j = 0, k = 0; j < n && k < nwhole[i]; j++, k++) {
				if (j == 0 || cut[j - 1] == '\n')
					for (size_t s = 0; s < TAIN_HEX && j + s < n && k + s < nwhole[i]; s++)
						cut[j + s] = whole[i][k + s];
			}
		if (n != nwhole[i] || memcmp(cut, whole[i], n))
			__builtin_trap(); /* a read boundary changed what was written */
		free(cut);
		free(whole[i]);
	}
	return 0;
}
