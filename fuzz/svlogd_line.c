/* fuzz/svlogd_line.c: libFuzzer harness for svlogd's input path: the same bytes fed whole and cut into reads must write the same files. */
#define main svlogd_main
#include "svlogd.c"
#undef main

#include <sys/mman.h>

/*
 * Input: a flags byte, a length byte (-l), a seed byte for the cuts, then
 * the log input. Two directories: one with rules and a prefix, one with
 * none. The bytes go through svlogd_feed and svlogd_finish as svlogd's
 * read loop drives them, once in one read and once in reads cut where the
 * seed says; every directory's current must come out the same.
 */
#define NDIRS 2

static struct logdir fuzz_dirs[NDIRS];
static char conf[] = "-*drop*\n+*keep*\n-+x*\npPFX \n"; /* no e: alerts go to stderr */
static char conftext[sizeof conf];
static char *headroom;        /* the line assembler's room for a head */

static void setup(void)
{
	static int once;

	if (once)
		return;
	once = 1;
	dirs = fuzz_dirs;
	ndirs = NDIRS;
	headbuf = malloc(256);
	headroom = malloc(256);
	for (int i = 0; i < NDIRS; i++) {
		struct logdir *d = &dirs[i];
		d->name = i ? "plain" : "rules";
		d->fd = d->lockfd = d->udpfd = d->procdir = -1;
		d->prefix = "";
		d->curfd = memfd_create(d->name, MFD_CLOEXEC);
		d->ok = 1;
	}
	memcpy(conftext, conf, sizeof conf);
	svlogd_config(&dirs[0], conftext, sizeof conf - 1);
	for (int i = 0; i < NDIRS; i++) {
		struct logdir *d = &dirs[i];
		d->sizemax = 0; /* rotation renames files: not here */
		d->ocap = INBUF + 2 * (STAMP_LEN + d->prefixlen + 256 + UDP_WARN_MAX + 8);
		d->obuf = malloc(d->ocap);
		d->abuf = malloc(STAMP_LEN + d->prefixlen + 256 + 4);
	}
}

/* Feeds data[0..n) in reads ending at the cuts, through run()'s own steps
 * for plain reads. */
static void feed_all(const uint8_t *data, size_t n, unsigned seed)
{
	struct tain now = { TAI_OFFSET, 500 };
	size_t at = 0;

	lineasm_init(&la, headroom, linemax);
	J.inpos = J.taken = 0;
	J.inbody0 = 0;
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
			len = 1 + (seed >> 16) % (seed & 1 ? 3 : 2 * linemax + 2);
			if (len > n - at)
				len = n - at;
		}
		now.nano += 1000;
		input_read((const char *)data + at, len, &now);
		at += len;
	}
	input_end();
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
	stamplevel = data[0] & 3;
	replace_char = data[0] & 4 ? '_' : 0;
	replace_set = "ab";
	linemax = 1 + data[1] % 200;
	unsigned seed = data[2] | 1u << 8;
	data += 3;
	size -= 3;
	if (size > 4 * INBUF)
		size = 4 * INBUF;

	feed_all(data, size, 0);
	for (int i = 0; i < NDIRS; i++)
		whole[i] = contents(dirs[i].curfd, &nwhole[i]);
	feed_all(data, size, seed);
	for (int i = 0; i < NDIRS; i++) {
		size_t n;
		char *cut = contents(dirs[i].curfd, &n);
		/* stamps differ by read: mask them as the property test does */
		if (stamplevel)
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
