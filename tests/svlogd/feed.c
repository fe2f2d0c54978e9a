/* feed.c: test helper: copies a file to stdout in writes of chosen or random sizes, lines split in two, with pauses, bursts and a large pipe. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void put(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(1, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			perror("feed: write");
			exit(1);
		}
		p += w;
		n -= (size_t)w;
	}
}

int main(int argc, char **argv)
{
	size_t fixed = 0, maxchunk = 0, burst = 0;
	int split = 0, pct = 0, c;
	long pause = 0, gap = 0;
	struct stat st;
	char *data;
	int fd;

	while ((c = getopt(argc, argv, "s:c:r:lp:u:z:b:g:")) != -1) {
		switch (c) {
		case 's': rng ^= strtoull(optarg, 0, 10) * 0x9e3779b97f4a7c15ULL; break;
		case 'c': fixed = strtoul(optarg, 0, 10); break;
		case 'r': maxchunk = strtoul(optarg, 0, 10); break;
		case 'l': split = 1; break;
		case 'p': pct = atoi(optarg); break;
		case 'u': pause = atol(optarg); break;
		case 'z':
			if (fcntl(1, F_SETPIPE_SZ, atoi(optarg)) < 0)
				perror("feed: F_SETPIPE_SZ");
			break;
		case 'b': burst = strtoul(optarg, 0, 10); break;
		case 'g': gap = atol(optarg); break;
		default:
			fprintf(stderr, "usage: feed [-s seed] [-c size | -r max | -l] [-p percent -u us]"
			    " [-z pipesize] [-b lines -g ms] FILE\n"
			    "  -c: writes of size bytes; -r: of 1 to max bytes; -l: each line in two writes\n"
			    "  -p/-u: after a write, with that chance, a pause of up to us microseconds\n"
			    "  -b/-g: a pause of ms milliseconds after every burst of lines\n");
			return 2;
		}
	}
	if (optind != argc - 1 || (fd = open(argv[optind], O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
		perror("feed: open");
		return 2;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data || read(fd, data, (size_t)st.st_size) != st.st_size) {
		perror("feed: read");
		return 2;
	}
	for (size_t at = 0, lines = 0; at < (size_t)st.st_size;) {
		size_t left = (size_t)st.st_size - at, n = left;
		char *nl = memchr(data + at, '\n', left);
		size_t linelen = nl ? (size_t)(nl - (data + at)) + 1 : left;

		if (split) {
			/* the line in two writes, cut anywhere (or whole, if 1 byte) */
			size_t cut = linelen > 1 ? 1 + rnd() % (linelen - 1) : linelen;
			put(data + at, cut);
			if (pct && (int)(rnd() % 100) < pct)
				sleep_us((long)(rnd() % (uint64_t)(pause + 1)));
			put(data + at + cut, linelen - cut);
			n = linelen;
		} else {
			if (fixed)
				n = fixed;
			else if (maxchunk)
				n = 1 + rnd() % maxchunk;
			if (n > left)
				n = left;
			put(data + at, n);
		}
		if (pct && (int)(rnd() % 100) < pct)
			sleep_us((long)(rnd() % (uint64_t)(pause + 1)));
		/* count the lines this write finished, for bursts */
		for (char *p = data + at; p < data + at + n; p++)
			if (*p == '\n' && burst && ++lines % burst == 0)
				sleep_us(gap * 1000);
		at += n;
	}
	return 0;
}
