/* prop.c: property test driver for svlogd: random lines, configs and pipe writes against the same input read whole from a file. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Each case, from its own seed: an svlogd command line (-t levels, -r/-R,
 * -l), one to three log directories with configs (patterns +, -, e, E,
 * UDP u/U to our socket, prefix, rotation by size), and input lines of 0 to
 * 3 x len bytes (len and len+-1 often) of any byte but the newline. Run A
 * reads the input whole from a regular file: the oracle. Run B gets it
 * through a pipe in writes of random sizes (single bytes, sizes around
 * 4 KiB and 64 KiB), with pauses, sometimes a pipe enlarged with
 * F_SETPIPE_SZ and filled before svlogd starts, sometimes with SIGHUP
 * between writes. Every directory's files, the alerts on stderr and the
 * datagrams must be the same, stamps masked. Where a Debian svlogd is
 * given and the input ends with a newline, run C (Debian, from the file)
 * must agree with A too, except where the differences below are known.
 */

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static int chance(int percent)
{
	return (int)below(100) < percent;
}

static _Noreturn void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "prop: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(errno));
	va_end(ap);
	exit(2);
}

struct buf {
	char *p;
	size_t n, cap;
};

static void add(struct buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 4096;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			fail("out of memory");
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void adds(struct buf *b, const char *s)
{
	add(b, s, strlen(s));
}

static void readfile(struct buf *b, const char *path)
{
	char tmp[65536];
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	while ((r = read(fd, tmp, sizeof tmp)) > 0)
		add(b, tmp, (size_t)r);
	close(fd);
}

static void writefile(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		fail("write %s", path);
	close(fd);
}

/* Each line's first 25 bytes become '#' when stamps are on; stderr lines
 * of svlogd's own (warnings, repeated at each SIGHUP) are left out. */
static void mask(struct buf *out, const char *p, size_t n, int stamped, int drop_diag)
{
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(p + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (p + i)) + 1 : n - i;
		if (drop_diag && len >= 8 && !memcmp(p + i, "svlogd: ", 8)) {
			i += len;
			continue;
		}
		/* a datagram svlogd could not send is logged after a warning */
		size_t at = 0;
		if (len > 9 && !memcmp(p + i, "warning: ", 9)) {
			const char *c = memmem(p + i, len < 50 ? len : 50, "udp", 3);
			const char *e = c ? memchr(c, ' ', (size_t)(p + i + len - c)) : 0;
			if (e)
				at = (size_t)(e + 1 - (p + i));
		}
		if (stamped && len > at + 25) {
			add(out, p + i, at);
			add(out, "#########################", 25);
			add(out, p + i + at + 25, len - at - 25);
		} else
			add(out, p + i, len);
		i += len;
	}
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The directory's log: its rotated files in order, then current. */
static void dirlog(struct buf *b, const char *dir)
{
	struct dirent **list;
	char path[4096];
	int n = scandir(dir, &list, 0, by_name);

	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] == '@') {
			snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
			readfile(b, path);
		}
		free(list[i]);
	}
	free(list);
	snprintf(path, sizeof path, "%s/current", dir);
	readfile(b, path);
}

/* --- the case ------------------------------------------------------------ */

#define MAXDIRS 3

struct kase {
	uint64_t seed;
	char opt[8][16];
	int nopt;
	int stamped;
	size_t len;
	int ndirs;
	struct buf config[MAXDIRS];
	int udp;                  /* some directory sends datagrams */
	struct buf input;
	int ends_nl;
	int debian_ok;            /* no known difference with Debian's svlogd */
	/* run B */
	int pipesize;             /* F_SETPIPE_SZ, or 0 */
	int prefill;              /* write all before svlogd starts, then close */
	int hups;                 /* SIGHUP between writes */
};

static const char *words[] = { "ERROR", "keep", "a", "b", "ab", "x", "yy", ":", " ", "pid" };
static const char *patterns[] = {
	"*ERROR*", "*keep*", "a*", "*b", "+a*", "*x*", "ab*", "*", "*: *", "+ab*",
	"*pid*", "keep", "a+b*", "*yy", ""
};

static void gen_line(struct kase *k, size_t want)
{
	size_t n = 0;

	while (n < want) {
		if (chance(50)) {
			const char *w = words[below(sizeof words / sizeof *words)];
			size_t l = strlen(w);
			if (l > want - n)
				l = want - n;
			add(&k->input, w, l);
			n += l;
			continue;
		}
		unsigned char c;
		switch (below(6)) {
		case 0: c = 0; break;
		case 1: c = 0xff; break;
		case 2: c = '\r'; break;
		case 3: c = (unsigned char)below(256); break;
		default: c = (unsigned char)('a' + below(26));
		}
		if (c == '\n')
			c = '\t';
		add(&k->input, &c, 1);
		n++;
	}
}

static void gen(struct kase *k, uint64_t seed, int port)
{
	char line[128];
	size_t total;

	memset(k, 0, sizeof *k);
	k->seed = seed;
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (int i = 0; i < 8; i++)
		rnd();
	k->debian_ok = 1;
	switch (below(5)) {
	case 0: k->len = 1 + below(8); break;
	case 1: k->len = 10 + below(100); break;
	case 2: k->len = 1000; break;
	case 3: k->len = 200 + below(2000); break;
	default: k->len = 4000 + below(70000);
	}
	snprintf(k->opt[k->nopt++], 16, "-l%zu", k->len);
	snprintf(k->opt[k->nopt++], 16, "-b%zu", k->len + 1);
	k->stamped = (int)below(4);
	if (k->stamped)
		snprintf(k->opt[k->nopt++], 16, "-%.*s", k->stamped, "ttt");
	switch (below(4)) {
	case 1: strcpy(k->opt[k->nopt++], "-r_"); break;
	case 2: strcpy(k->opt[k->nopt++], "-Rab"); break;
	case 3: strcpy(k->opt[k->nopt++], "-r."); strcpy(k->opt[k->nopt++], "-Rx:"); break;
	}
	k->ndirs = 1 + (int)below(MAXDIRS);
	for (int d = 0; d < k->ndirs; d++) {
		struct buf *c = &k->config[d];
		int nrules = chance(60) ? 1 + (int)below(4) : 0;
		if (chance(30)) {
			snprintf(line, sizeof line, "s%zu\nn0\n", 100 + below(20000));
			adds(c, line);
		}
		if (chance(25)) {
			snprintf(line, sizeof line, "%c127.0.0.1:%d\n", chance(50) ? 'u' : 'U', port);
			adds(c, line);
			k->udp = 1;
		}
		if (chance(25)) {
			snprintf(line, sizeof line, "p%s\n", chance(50) ? "PFX: " : "[x]");
			adds(c, line);
		}
		for (int r = 0; r < nrules; r++) {
			const char *pat = patterns[below(sizeof patterns / sizeof *patterns)];
			snprintf(line, sizeof line, "%c%s\n", "+-eE"[below(4)], pat);
			adds(c, line);
			/* runit's +c past the end of a line compares c with a byte
			 * an earlier line left in its buffer: not ours to copy */
			if (strchr(pat, '+'))
				k->debian_ok = 0;
		}
	}
	/* input: up to about 300 KB, often small */
	total = chance(30) ? below(2000) : chance(50) ? below(70000) : 60000 + below(240000);
	while (k->input.n < total) {
		size_t l;
		switch (below(5)) {
		case 0: l = k->len; break;
		case 1: l = k->len - 1 + below(3); break;
		case 2: l = below(k->len < 200 ? 3 * k->len + 1 : 200); break;
		default: l = below(3 * k->len + 1);
		}
		if (l > 200000)
			l = 200000;
		gen_line(k, l);
		add(&k->input, "\n", 1);
	}
	k->ends_nl = 1;
	if (chance(20) && k->input.n) {
		k->input.n--; /* the last line unterminated */
		k->ends_nl = k->input.n == 0 || k->input.p[k->input.n - 1] == '\n';
	}
	k->pipesize = chance(30) ? (int)(65536 << below(5)) : 0;
	k->prefill = k->pipesize && chance(30);
	k->hups = chance(20);
	if (!k->ends_nl)
		k->debian_ok = 0; /* Debian drops an unterminated last line */
}

/* --- running svlogd ------------------------------------------------------ */

static int udpfd = -1;
static volatile sig_atomic_t alarmed;

static void drain_udp(struct buf *b)
{
	char dg[131072];
	ssize_t r;

	while ((r = recv(udpfd, dg, sizeof dg, MSG_DONTWAIT)) >= 0) {
		char hdr[32];
		snprintf(hdr, sizeof hdr, "<%zd>\n", r);
		adds(b, hdr);
		add(b, dg, (size_t)r);
	}
}

static pid_t spawn(const char *prog, const struct kase *k, const char *tag, int in, int err)
{
	char *argv[16];
	char dir[MAXDIRS][64];
	int n = 0;
	pid_t pid;

	argv[n++] = (char *)prog;
	for (int i = 0; i < k->nopt; i++)
		argv[n++] = (char *)k->opt[i];
	for (int d = 0; d < k->ndirs; d++) {
		snprintf(dir[d], sizeof dir[d], "%s%d", tag, d);
		argv[n++] = dir[d];
	}
	argv[n] = 0;
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		dup2(in, 0);
		dup2(err, 2);
		for (int fd = 3; fd < 1024; fd++)
			close(fd); /* the pipe's write end above all */
		execv(prog, argv);
		_exit(127);
	}
	return pid;
}

static void setup_dirs(const struct kase *k, const char *tag)
{
	char cmd[256], path[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s0 %s1 %s2", tag, tag, tag);
	if (system(cmd) != 0)
		fail("rm");
	for (int d = 0; d < k->ndirs; d++) {
		snprintf(path, sizeof path, "%s%d", tag, d);
		if (mkdir(path, 0755) < 0)
			fail("mkdir %s", path);
		snprintf(path, sizeof path, "%s%d/config", tag, d);
		writefile(path, k->config[d].p, k->config[d].n);
	}
}

/* Waits for pid, at most secs seconds; its status, or -1 (then killed). */
static int reap(pid_t pid, int secs)
{
	int status;

	for (int i = 0; i < secs * 1000; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, 0);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* Everything a run leaves: per directory its log, then stderr, then datagrams. */
static void collect(struct buf *out, const struct kase *k, const char *tag, int status)
{
	char path[128], hdr[64];

	snprintf(hdr, sizeof hdr, "status %d\n", status);
	adds(out, hdr);
	for (int d = 0; d < k->ndirs; d++) {
		struct buf raw = { 0 };
		snprintf(path, sizeof path, "%s%d", tag, d);
		dirlog(&raw, path);
		snprintf(hdr, sizeof hdr, "== dir %d\n", d);
		adds(out, hdr);
		mask(out, raw.p, raw.n, k->stamped, 0);
		free(raw.p);
	}
	struct buf raw = { 0 };
	snprintf(path, sizeof path, "%s.err", tag);
	readfile(&raw, path);
	adds(out, "== stderr\n");
	mask(out, raw.p, raw.n, k->stamped, 1);
	free(raw.p);
	memset(&raw, 0, sizeof raw);
	drain_udp(&raw);
	adds(out, "== udp\n");
	mask(out, raw.p, raw.n, k->stamped, 0);
	free(raw.p);
}

/* Run A and C: input whole from a regular file. */
static void run_file(struct buf *out, const struct kase *k, const char *prog, const char *tag)
{
	char path[128];
	int in, err;
	pid_t pid;

	setup_dirs(k, tag);
	snprintf(path, sizeof path, "%s.err", tag);
	err = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	in = open("input", O_RDONLY);
	if (in < 0 || err < 0)
		fail("open input");
	drain_udp(&(struct buf){ 0 });
	pid = spawn(prog, k, tag, in, err);
	close(in);
	close(err);
	collect(out, k, tag, reap(pid, 60));
}

/* svlogd has its signals blocked (read with signalfd) from early on; a
 * SIGHUP before that would kill it. */
static int hup_ready(pid_t pid)
{
	char path[64], line[256];
	unsigned long long mask = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "SigBlk: %llx", &mask) == 1)
			break;
	fclose(f);
	return mask & 1;
}

static void pause_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&ts, 0);
}

/* 0, or -1 when svlogd has gone (the run's status tells why). */
static int write_all_(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Run B: the input through a pipe, in pieces. */
static void run_pipe(struct buf *out, const struct kase *k, const char *prog, const char *tag)
{
	int p[2], err;
	pid_t pid = 0;
	size_t at = 0;
	char path[128];
	int mode = (int)below(4);

	setup_dirs(k, tag);
	snprintf(path, sizeof path, "%s.err", tag);
	err = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (err < 0 || pipe(p) < 0)
		fail("pipe");
	if (k->pipesize)
		(void)fcntl(p[1], F_SETPIPE_SZ, k->pipesize); /* else a smaller pipe */
	drain_udp(&(struct buf){ 0 });
	if (k->prefill) {
		/* separate writes before svlogd runs, until the pipe is full: a
		 * pipe holds as many writes as it has pages, whatever their size */
		fcntl(p[1], F_SETFL, O_NONBLOCK);
		for (;;) {
			size_t n = 1 + below(3000);
			if (n > k->input.n - at)
				n = k->input.n - at;
			ssize_t w = n ? write(p[1], k->input.p + at, n) : 0;
			if (w <= 0)
				break;
			at += (size_t)w;
		}
		fcntl(p[1], F_SETFL, 0);
	}
	pid = spawn(prog, k, tag, p[0], err);
	close(p[0]);
	close(err);
	while (at < k->input.n) {
		size_t n;
		switch (mode == 0 ? (int)below(6) : mode) {
		case 1: n = 1; break;
		case 2: n = 1 + below(k->len * 2 + 2); break;
		case 3: {
			/* sizes around page and pipe sizes */
			static const size_t sizes[] = { 4095, 4096, 4097, 65535, 65536, 65537, 8191, 131073 };
			n = sizes[below(8)];
			break;
		}
		case 4: n = 1 + below(200); break;
		default: n = 1 + below(100000);
		}
		if (n > k->input.n - at)
			n = k->input.n - at;
		if (write_all_(p[1], k->input.p + at, n) < 0)
			break;
		at += n;
		if (chance(mode == 1 ? 1 : 15))
			pause_us((long)below(1500));
		if (k->hups && chance(5) && hup_ready(pid))
			kill(pid, SIGHUP);
	}
	close(p[1]);
	collect(out, k, tag, reap(pid, 60));
}

static int same(const struct buf *a, const struct buf *b)
{
	return a->n == b->n && !memcmp(a->p, b->p, a->n);
}

/* Where the two first differ, for the report. */
static void show_diff(const char *what, const struct buf *a, const struct buf *b, uint64_t seed)
{
	size_t i = 0;

	while (i < a->n && i < b->n && a->p[i] == b->p[i])
		i++;
	printf("# seed %llu: %s differs at byte %zu of %zu/%zu\n",
	    (unsigned long long)seed, what, i, a->n, b->n);
	size_t from = i > 80 ? i - 80 : 0;
	printf("#   oracle: ");
	for (size_t j = from; j < a->n && j < i + 40; j++)
		printf(a->p[j] >= 32 && a->p[j] < 127 ? "%c" : "\\%03o", (unsigned char)a->p[j]);
	printf("\n#   got:    ");
	for (size_t j = from; j < b->n && j < i + 40; j++)
		printf(b->p[j] >= 32 && b->p[j] < 127 ? "%c" : "\\%03o", (unsigned char)b->p[j]);
	printf("\n");
}

static void describe(const struct kase *k)
{
	printf("#   options:");
	for (int i = 0; i < k->nopt; i++)
		printf(" %s", k->opt[i]);
	printf("; %d dirs; input %zu bytes%s; pipe %d%s%s\n", k->ndirs, k->input.n,
	    k->ends_nl ? "" : " (last line unterminated)", k->pipesize,
	    k->prefill ? " prefilled" : "", k->hups ? " with SIGHUP" : "");
	for (int d = 0; d < k->ndirs; d++) {
		printf("#   config %d: ", d);
		for (size_t i = 0; i < k->config[d].n; i++)
			printf(k->config[d].p[i] == '\n' ? "; " : "%c", k->config[d].p[i]);
		printf("\n");
	}
}

/* 1 when the runs differ, reported with the case. */
static int differ(const char *what, const struct buf *oracle, const struct buf *got,
    const struct kase *k)
{
	if (same(oracle, got))
		return 0;
	show_diff(what, oracle, got, k->seed);
	describe(k);
	return 1;
}

static void free_case(struct kase *k)
{
	free(k->input.p);
	for (int d = 0; d < MAXDIRS; d++)
		free(k->config[d].p);
}

int main(int argc, char **argv)
{
	uint64_t seed = 1;
	long cases = 100, seconds = 0, ran = 0, bad = 0, deb = 0, debbad = 0;
	const char *ours = 0, *debian = 0;
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	int c, big = 8 << 20;
	time_t start = time(0);

	while ((c = getopt(argc, argv, "s:n:t:o:d:")) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, 0, 10); break;
		case 'n': cases = atol(optarg); break;
		case 't': seconds = atol(optarg); break;
		case 'o': ours = optarg; break;
		case 'd': debian = optarg; break;
		default:
			fprintf(stderr, "usage: prop -o SVLOGD [-d DEBIAN-SVLOGD] [-s SEED] [-n CASES] [-t SECONDS]\n");
			return 2;
		}
	}
	if (!ours)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	udpfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (udpfd < 0 || bind(udpfd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    getsockname(udpfd, (struct sockaddr *)&sa, &sl) < 0)
		fail("udp socket");
	if (setsockopt(udpfd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) < 0)
		(void)setsockopt(udpfd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);

	for (long i = 0; i < cases && (!seconds || time(0) - start < seconds); i++) {
		struct kase k;
		struct buf a = { 0 }, b = { 0 }, d = { 0 };

		gen(&k, seed + (uint64_t)i, ntohs(sa.sin_port));
		writefile("input", k.input.p, k.input.n);
		run_file(&a, &k, ours, "A");
		run_pipe(&b, &k, ours, "B");
		ran++;
		bad += differ("pipe run against file run", &a, &b, &k);
		if (debian && k.debian_ok) {
			run_file(&d, &k, debian, "C");
			deb++;
			debbad += differ("Debian's svlogd against ours", &d, &a, &k);
		}
		free(a.p);
		free(b.p);
		free(d.p);
		free_case(&k);
	}
	printf("cases %ld failed %ld debian %ld disagree %ld first-seed %llu\n", ran, bad, deb,
	    debbad, (unsigned long long)seed);
	return bad || debbad ? 1 : 0;
}
