/* fuzz/svlogd_line.c: libFuzzer harness for svlogd's line path (splitting, selection, replacement, batching). */
#define main svlogd_main
#include "svlogd.c"
#undef main

static struct logdir fuzz_dir;

static void setup(const uint8_t *opt)
{
	static int once;
	static char conf[] = "-*drop*\n+*keep*\npPFX \n"; /* no e: alerts go to stderr */
	static char text[sizeof conf];

	if (!once) {
		once = 1;
		dirs = &fuzz_dir;
		ndirs = 1;
		insize = 4096;
		inbuf = malloc(insize);
		headbuf = malloc(insize);
		fuzz_dir.name = "fuzz";
		fuzz_dir.udpfd = -1;
		fuzz_dir.curfd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		fuzz_dir.ocap = insize + STAMP_LEN + 64;
		fuzz_dir.obuf = malloc(fuzz_dir.ocap);
		fuzz_dir.abuf = malloc(STAMP_LEN + 64 + insize + 4);
		fuzz_dir.ok = 1;
	}
	memcpy(text, conf, sizeof conf);
	free(fuzz_dir.rules);
	fuzz_dir.rules = 0;
	if (opt[0] & 1)
		svlogd_config(&fuzz_dir, text, sizeof conf - 1);
	else {
		fuzz_dir.nrules = 0;
		fuzz_dir.prefix = "";
		fuzz_dir.prefixlen = 0;
	}
	fuzz_dir.sizemax = 0; /* rotation renames files: not here */
	stamplevel = (opt[0] >> 1) & 3;
	replace_char = opt[0] & 8 ? '_' : 0;
	replace_set = "ab";
	linemax = 1 + opt[1] % 200;
	inbase = 0;
	in_long_line = have_stamp_first = 0;
	fuzz_dir.olen = fuzz_dir.skip = 0;
	fuzz_dir.cont = opt[0] >> 7;
	fuzz_dir.contpos = 0;
	memset(stamp, '0', sizeof stamp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n, cut;

	if (size < 3)
		return 0;
	setup(data);
	cut = data[2];
	data += 3;
	size -= 3;
	if (size > insize)
		size = insize;
	/* two reads: the first ends at an arbitrary byte, the second at end of
	 * input; what the first leaves unfinished plus the rest fits the buffer */
	size_t first = cut < size ? cut : size;
	memcpy(inbuf, data, first);
	svlogd_process(inbuf, first, 0);
	n = first - inbase;
	memmove(inbuf, inbuf + inbase, n);
	inbase = 0;
	memcpy(inbuf + n, data + first, size - first);
	n += size - first;
	svlogd_process(inbuf, n, 1);
	return 0;
}
