/* Unit tests for svlog.c: svlogd's arguments, rotated names in order, stamps in local time, the last lines, following across rotations. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io.h"
#include "svlog.h"
#include "tap.h"

static char got[65536];
static size_t gotlen;

static void collect(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (gotlen + n < sizeof got) {
		memcpy(got + gotlen, s, n);
		gotlen += n;
	}
	got[gotlen] = 0;
}

static char skipped_name[64];
static int skipped_count, skipped_err;

static void skip(void *ctx, const char *name, int err)
{
	(void)ctx;
	snprintf(skipped_name, sizeof skipped_name, "%s", name);
	skipped_err = err;
	skipped_count++;
}

static void reset(void)
{
	gotlen = 0;
	got[0] = 0;
}

static void put(int dirfd, const char *name, const char *text, int append)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);

	if (fd >= 0) {
		must(write(fd, text, strlen(text)));
		close(fd);
	}
}

static const char *dir_of(const char *words)
{
	static char buf[256];
	char *argv[16];
	int argc = 0;

	strcpy(buf, words);
	for (char *p = strtok(buf, " "); p && argc < 15; p = strtok(0, " "))
		argv[argc++] = p;
	argv[argc] = 0;
	return svlog_dir_arg(argc, argv);
}

static const char *conv(const char *line)
{
	static char buf[256];
	char out[SVLOG_STAMP_MAX];
	size_t outn = 0, skip = svlog_stamp(line, strlen(line), out, &outn);

	snprintf(buf, sizeof buf, "%.*s%s", (int)outn, out, line + skip);
	return buf;
}

int main(void)
{
	char dir[] = "/tmp/rng-svlog.XXXXXX", **names;
	struct svlog_reader rd = { .put = collect, .skipped = skip };
	struct svlog_follow f;
	size_t n, file;
	off_t off;
	int dfd = -1, fd;

	/* svlogd's command line */
	ok(dir_of("./main") && !strcmp(dir_of("./main"), "./main"), "a bare directory");
	ok(!strcmp(dir_of("-tt main"), "main"), "after -tt");
	ok(!strcmp(dir_of("-t -r _ -R abc -l 80 -b 1024 /var/log/x"), "/var/log/x"), "values as the next word");
	ok(!strcmp(dir_of("-ttvr_ -l80 d1 d2"), "d1"), "values attached, grouped letters; the first of several");
	ok(!strcmp(dir_of("-- -odd"), "-odd"), "after --");
	ok(dir_of("-tt") == 0, "no directory");

	/* stamps */
	setenv("TZ", "XYZ-3", 1);
	tzset();
	is_str(conv("@400000006b04df7036463fbc hello\n"), "2026-11-24T03:50:46.910573+03:00 hello\n",
	    "-t: TAI64N label to local time");
	is_str(conv("2026-11-24_01:50:46.90211 a\tb\n"), "2026-11-24T04:50:46.902110+03:00 a\tb\n",
	    "-tt: UTC date to local time");
	is_str(conv("2026-11-24T01:50:46.90211 x\n"), "2026-11-24T04:50:46.902110+03:00 x\n",
	    "-ttt too");
	is_str(conv("plain line\n"), "plain line\n", "no stamp: unchanged");
	is_str(conv("@40000000zzzzdf7036463fbc x\n"), "@40000000zzzzdf7036463fbc x\n", "not hex: unchanged");
	is_str(conv("2026-13-24_01:50:46.90211 x\n"), "2026-13-24_01:50:46.90211 x\n", "month 13: unchanged");
	is_str(conv("@400000006b04df7036463fbcx\n"), "@400000006b04df7036463fbcx\n", "no space after: unchanged");
	is_str(conv("@400000006b04df70"), "@400000006b04df70", "short: unchanged");

	/* names */
	ok(svlog_rotated("@400000006b04df7036463fbc.s") && svlog_rotated("@400000006b04df7036463fbc.u"),
	    ".s and .u files");
	ok(!svlog_rotated("@400000006b04df7036463fbc.t") && !svlog_rotated("current") &&
	    !svlog_rotated("@400000006B04df7036463fbc.s") && !svlog_rotated("@4000.s"),
	    "not .t, current, upper case, short");

	ok(mkdtemp(dir) != 0 && (dfd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0, "scratch directory");
	put(dfd, "@400000006b04df7100000000.s", "b1\nb2\n", 0);
	put(dfd, "@400000006b04df7000000000.s", "a1\na2\na3\n", 0);
	put(dfd, "@400000006b04df7200000000.u", "c1\n", 0);
	put(dfd, "@400000006b04df7300000000.t", "processing\n", 0);
	put(dfd, "state", "", 0);
	put(dfd, "current", "d1\nd2 no newline", 0);
	names = svlog_list(dfd, &n);
	ok(names && n == 3 && !strcmp(names[0], "@400000006b04df7000000000.s") &&
	    !strcmp(names[2], "@400000006b04df7200000000.u"), "three rotated files, oldest first");

	/* last lines: current counts as the newest file */
	{
		int cur = svlog_open(dfd, "current");

		ok(svlog_before(dfd, names, 3, cur) == 3, "before current: all three");
		ok(svlog_tail(dfd, names, 3, cur, 2, &file, &off) == 0 && file == 3 && off == 0,
		    "last 2: all of current (its last line has no newline)");
		ok(svlog_tail(dfd, names, 3, cur, 3, &file, &off) == 0 && file == 2 && off == 0,
		    "last 3: from the .u file");
		ok(svlog_tail(dfd, names, 3, cur, 5, &file, &off) == 0 && file == 1 && off == 0,
		    "last 5: from b1");
		ok(svlog_tail(dfd, names, 3, cur, 6, &file, &off) == 0 && file == 0 && off == 6,
		    "last 6: from a3");
		ok(svlog_tail(dfd, names, 3, cur, 100, &file, &off) == 0 && file == 0 && off == 0,
		    "more than there are: from the start");
		ok(svlog_tail(dfd, names, 3, cur, 0, &file, &off) == 0 && file == 3 && off == 16,
		    "none: the end of current");
		ok(svlog_tail(dfd, names, 3, -1, 1, &file, &off) == 0 && file == 2 && off == 0,
		    "no current: from the newest rotated file");
		/* svlogd rotates the opened current after the open, before the listing */
		ok(renameat(dfd, "current", dfd, "@400000006b04df7400000000.s") == 0, "current rotated");
		put(dfd, "current", "e1\n", 0);
		{
			size_t m;
			char **later = svlog_list(dfd, &m);

			ok(later && m == 4 && svlog_before(dfd, later, m, cur) == 3,
			    "before current: the file it became is left to current's descriptor");
			svlog_free(later, m);
		}
		ok(renameat(dfd, "@400000006b04df7400000000.s", dfd, "current") == 0, "put back");
		close(cur);
	}

	/* io.c's read_string_at, which the /proc and supervise readers use */
	{
		char small[4];

		ok(read_string_at(dfd, "@400000006b04df7000000000.s", small, sizeof small) == 3 &&
		    !strcmp(small, "a1\n"), "read_string_at: the start of a file, NUL-terminated");
		ok(read_string_at(dfd, "nonexistent", small, sizeof small) < 0, "read_string_at: a missing file");
	}

	/* the reader: lines with stamps converted, a prefix, a partial line kept */
	rd.prefix = "svc: ";
	put(dfd, "x", "@400000006b04df7036463fbc one\ntwo\nthr", 0);
	fd = openat(dfd, "x", O_RDONLY);
	reset();
	ok(svlog_read(&rd, fd) == 0, "read");
	is_str(got, "svc: 2026-11-24T03:50:46.910573+03:00 one\nsvc: two\n", "complete lines only");
	put(dfd, "x", "ee\n", 1);
	reset();
	svlog_read(&rd, fd);
	is_str(got, "svc: three\n", "the partial line completed by more");
	put(dfd, "x", "tail", 1);
	reset();
	svlog_read(&rd, fd);
	svlog_flush(&rd);
	is_str(got, "svc: tail\n", "a last line without newline, flushed");
	close(fd);
	rd.prefix = 0;

	/* following across rotations, two of them between two pokes */
	put(dfd, "current", "c0\n", 0);
	fd = openat(dfd, "current", O_RDONLY);
	reset();
	svlog_read(&rd, fd);
	svlog_follow_start(&f, dfd, fd, &rd);
	reset();
	put(dfd, "current", "c1\n", 1);
	ok(svlog_follow_poke(&f) == 0, "poke");
	is_str(got, "c1\n", "growth of current");
	put(dfd, "current", "c2 last", 1);
	renameat(dfd, "current", dfd, "@400000006b04df7400000000.s");
	put(dfd, "current", "e1\n", 0);
	renameat(dfd, "current", dfd, "@400000006b04df7500000000.s");
	reset();
	ok(svlog_follow_poke(&f) == 0, "poke while no current exists");
	is_str(got, "", "nothing complete yet");
	put(dfd, "current", "f1\n", 0);
	ok(svlog_follow_poke(&f) == 0, "poke after two rotations");
	is_str(got, "c2 last\ne1\nf1\n", "the old current to its end, the file rotated since, the new current");
	reset();
	put(dfd, "current", "f2\n", 1);
	svlog_follow_poke(&f);
	is_str(got, "f2\n", "and on");

	/* a late reader: the file held open was processed (@A.u now @A.s, another
	 * inode) and the next one pruned before the poke; inotify told both */
	{
		struct svlog_follow g;
		int ld = -1, hf;

		ok(mkdirat(dfd, "late", 0700) == 0 && (ld = openat(dfd, "late", O_RDONLY | O_DIRECTORY)) >= 0,
		    "a log directory of its own");
		put(ld, "@400000006b04dff000000000.s", "old\n", 0);
		put(ld, "current", "h1\n", 0);
		hf = openat(ld, "current", O_RDONLY);
		reset();
		svlog_read(&rd, hf);
		svlog_follow_start(&g, ld, hf, &rd);
		put(ld, "current", "h2\n", 1);
		renameat(ld, "current", ld, "@400000006b04e00000000000.u");
		svlog_follow_event(&g, IN_MOVED_FROM, 1, "current");
		svlog_follow_event(&g, IN_MOVED_TO, 1, "@400000006b04e00000000000.u");
		put(ld, "current", "b1\n", 0);
		put(ld, "processed", "h1\nh2\n", 0);
		renameat(ld, "processed", ld, "@400000006b04e00000000000.s");
		svlog_follow_event(&g, IN_MOVED_FROM, 2, "processed");
		svlog_follow_event(&g, IN_MOVED_TO, 2, "@400000006b04e00000000000.s");
		unlinkat(ld, "@400000006b04e00000000000.u", 0);
		renameat(ld, "current", ld, "@400000006b04e00100000000.u");
		svlog_follow_event(&g, IN_MOVED_FROM, 3, "current");
		svlog_follow_event(&g, IN_MOVED_TO, 3, "@400000006b04e00100000000.u");
		unlinkat(ld, "@400000006b04e00100000000.u", 0);
		put(ld, "current", "c1\n", 0);
		renameat(ld, "current", ld, "@400000006b04e00200000000.s");
		svlog_follow_event(&g, IN_MOVED_FROM, 4, "current");
		svlog_follow_event(&g, IN_MOVED_TO, 4, "@400000006b04e00200000000.s");
		put(ld, "current", "d1\n", 0);
		reset();
		ok(svlog_follow_poke(&g) == 0, "poke, late");
		is_str(got, "h2\nc1\nd1\n",
		    "the held file to its end (not again as its processed copy), the one after the pruned one, the new current");
		ok(g.pruned == 1, "the pruned file counted");
		/* the same, but the queue overflowed: nothing known of the names */
		put(ld, "current", "d2\n", 1);
		renameat(ld, "current", ld, "@400000006b04e00300000000.u");
		put(ld, "processed", "d1\nd2\n", 0);
		renameat(ld, "processed", ld, "@400000006b04e00300000000.s");
		unlinkat(ld, "@400000006b04e00300000000.u", 0);
		put(ld, "current", "e1\n", 0);
		renameat(ld, "current", ld, "@400000006b04e00400000000.s");
		put(ld, "current", "f1\n", 0);
		svlog_follow_event(&g, IN_Q_OVERFLOW, 0, 0);
		reset();
		ok(svlog_follow_poke(&g) == 0, "poke after an overflow");
		is_str(got, "d2\nd1\nd2\ne1\nf1\n", "nothing passed over (the processed copy of the held file read again)");
		svlog_follow_stop(&g);
		close(ld);
	}

	/* the log's user plants a link or a FIFO: never read through, never blocking */
	ok(symlinkat("/etc/passwd", dfd, "link") == 0 && mkfifoat(dfd, "fifo", 0600) == 0, "a link and a FIFO");
	ok(svlog_open(dfd, "link") == SVLOG_NOT_FILE, "open: a link is not a log file");
	ok(svlog_open(dfd, "fifo") == SVLOG_NOT_FILE, "open: a FIFO is not one either, and does not block");
	ok(svlog_open(dfd, "gone") == -1 && errno == ENOENT, "open: a missing file");
	fd = svlog_open(dfd, "x");
	ok(fd >= 0, "open: a regular file");
	close(fd);
	{
		char *two[2] = { "x", "link" };

		ok(svlog_tail(dfd, two, 2, -1, 1, &file, &off) == 0 && file == 0 && off > 0,
		    "tail: a link counts as empty");
	}
	reset();
	renameat(dfd, "link", dfd, "current");
	ok(svlog_follow_poke(&f) == 0 && skipped_count == 1 && skipped_err == 0 &&
	    !strcmp(skipped_name, "current"), "following: current replaced by a link is skipped, and said");
	ok(svlog_follow_poke(&f) == 0 && skipped_count == 1 && !*got, "... once, and nothing is read through it");
	renameat(dfd, "fifo", dfd, "current");
	ok(svlog_follow_poke(&f) == 0 && skipped_count == 2, "then by a FIFO: skipped, no hang");
	unlinkat(dfd, "current", 0);
	put(dfd, "current", "g1\n", 0);
	reset();
	ok(svlog_follow_poke(&f) == 0 && !strcmp(got, "g1\n"), "a regular current again: followed");
	svlog_follow_stop(&f);
	svlog_reader_free(&rd);
	svlog_free(names, n);
	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		must(system(cmd));
	}
	return done_testing();
}
