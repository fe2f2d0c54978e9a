/* Unit tests for logline.c: lines selected, stamped, prefixed and replaced into each directory's batch; long lines, alerts, UDP, recovery's skip, and batches cut before a line that would not fit. */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "lineasm.h"
#include "logline.h"
#include "logtest.h"

#define NDIRS 2

static struct logset set;
static struct logdir dirs[NDIRS];
static struct logline lines;
static struct lineasm la;
static char held[4096], headbuf[4096];
static int stopping, commits;

/* svlogd's commit without a journal: every batch written */
static void commit(uint64_t upto, int inbody, int eof)
{
	(void)upto;
	(void)inbody;
	(void)eof;
	commits++;
	for (int i = 0; i < NDIRS; i++)
		if (dirs[i].ok && dirs[i].olen)
			write_batch(&dirs[i]);
}

/* Two fresh directories with these configs, open as svlogd opens them. */
static void start(const char *conf0, const char *conf1, unsigned long linemax)
{
	static int round;
	static char names[NDIRS][512];
	char *np[NDIRS];

	round++;
	for (int i = 0; i < NDIRS; i++) {
		snprintf(names[i], sizeof names[i], "%s/r%d-d%d", top, round, i);
		must(mkdir(names[i], 0700));
		put_file(names[i], "config", i ? conf1 : conf0, 0644);
		np[i] = names[i];
	}
	logset_init(&set, dirs, NDIRS, np);
	set.linemax = linemax;
	set.stopping = &stopping;
	set.write_batch = write_batch;
	logline_init(&lines, &set, &la, commit);
	lines.headbuf = headbuf;
	lineasm_init(&la, held, linemax);
	for (int i = 0; i < NDIRS; i++) {
		logdir_open(&dirs[i]);
		logdir_open_current(&dirs[i], 0);
	}
	commits = 0;
}

static void stop(void)
{
	for (int i = 0; i < NDIRS; i++)
		if (dirs[i].ok)
			logdir_close(&dirs[i]);
}

/* Feeds text as one read at position *pos, then writes every batch up to
 * a held head, as svlogd's read loop does. */
static void feed(uint64_t *pos, const char *text, unsigned sec)
{
	struct tain now = { TAI_OFFSET + sec, 0 }, first;
	size_t n = strlen(text), nheld;

	logline_feed(&lines, *pos, text, n, &now);
	*pos += n;
	(void)lineasm_held(&la, &nheld, &first);
	commit(*pos - nheld, lineasm_inbody(&la), 0);
}

static void end(uint64_t pos)
{
	logline_finish(&lines, pos);
	commit(pos, 0, 1);
}

static const char *current(int i)
{
	return read_at(dirs[i].name, "current");
}

static void plain_and_rules(void)
{
	uint64_t pos = 0;
	struct tain now = { TAI_OFFSET, 0 };

	start("-*\n+*keep*\npPFX:\n", "", 1000);
	feed(&pos, "a keep\nb drop\nc ke", 1);
	is_str(current(0), "PFX:a keep\n", "rules select, the prefix goes first");
	is_str(current(1), "a keep\nb drop\n", "no rules: every line");
	ok(logline_feed(&lines, pos, "ep\nd ", 5, &now) == 3,
	    "feed says where a held head begins");
	pos += 5;
	commit(pos - 2, 0, 0);
	is_str(current(0), "PFX:a keep\nPFX:c keep\n", "a head in two reads is one line");
	end(pos);
	is_str(current(1), "a keep\nb drop\nc keep\nd \n", "the end of input ends the open line");
	stop();
}

static void stamps_and_replacement(void)
{
	uint64_t pos = 0;
	const char *c;

	start("", "", 1000);
	lines.stamplevel = 1;
	feed(&pos, "x\n", 1);
	c = current(0);
	is_str(c, "@400000000000000b00000000 x\n", "-t: the line's TAI64N stamp and a space");
	stop();

	start("", "", 1000);
	lines.stamplevel = 3;
	feed(&pos, "y\n", 86400);
	c = current(0);
	ok(!strncmp(c, "1970-01-02T00:00:", 17) && c[25] == ' ' && !strcmp(c + 26, "y\n"),
	    "-ttt: a date with T: %.25s", c);
	stop();

	start("", "", 8);
	lines.replace_char = '_';
	lines.replace_set = "a9";
	pos = 0;
	feed(&pos, "xa\001b\n0123456789a9\n", 1);
	is_str(current(0), "x__b\n0123456789a9\n",
	    "-r/-R replace in the head only: the body of a long line is verbatim");
	stop();
}

static void long_lines(void)
{
	uint64_t pos = 0;

	start("-*\n+abc*\n", "", 4);
	feed(&pos, "abcdefgh", 1);
	feed(&pos, "ijk\nxyzw-dropped\nab", 2);
	feed(&pos, "cd\n", 3);
	is_str(current(0), "abcdefghijk\nabcd\n", "a long line selected by its head, its body follows");
	is_str(current(1), "abcdefghijk\nxyzw-dropped\nabcd\n", "every line in the other");
	stop();
}

static void skip(void)
{
	uint64_t pos = 0;

	start("", "", 1000);
	dirs[0].skip = 4; /* recovery: current holds the input before 4 */
	feed(&pos, "one\ntwo\n", 1);
	is_str(current(0), "two\n", "what current holds already is not written again");
	is_str(current(1), "one\ntwo\n", "the other directory writes it all");
	stop();
}

static void flush_before_size(void)
{
	uint64_t pos = 0;

	start("s30\nn5\n", "", 1000);
	feed(&pos, "0123456789\n0123456789\n0123456789\n", 1);
	ok(commits >= 2 && count_old(dirs[0].name, 0, 0) == 1, "a line past s: the batch is cut before it, current rotated");
	is_str(current(0), "0123456789\n", "the new current starts with that line");
	ok(dirs[0].size == 11, "and counts it");
	ok(count_old(dirs[1].name, 0, 0) == 0 && !strcmp(current(1), "0123456789\n0123456789\n0123456789\n"),
	    "the other directory is not rotated");
	stop();
}

static void alert_and_udp(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t salen = sizeof sa;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	char conf[64], got[256];
	uint64_t pos = 0;
	ssize_t n;

	must(s);
	must(bind(s, (struct sockaddr *)&sa, sizeof sa));
	must(getsockname(s, (struct sockaddr *)&sa, &salen));
	snprintf(conf, sizeof conf, "U127.0.0.1:%u\npP \n", ntohs(sa.sin_port));
	start(conf, "ealarm*\n", 1000);
	quiet();
	feed(&pos, "alarm!\nquiet\n", 1);
	quiet_end();
	is_str(errtext, "alarm!\n", "e: the line on stderr too");
	is_str(current(1), "alarm!\nquiet\n", "and in current");
	n = recv(s, got, sizeof got - 1, MSG_DONTWAIT);
	got[n > 0 ? n : 0] = 0;
	is_str(got, "P alarm!\n", "U: a datagram per line, prefixed");
	is_str(current(0), "", "U: nothing in current");
	close(s);
	stop();
}

int main(void)
{
	diag_prefix = "svlogd";
	if (!logtest_begin())
		return done_testing();
	plain_and_rules();
	stamps_and_replacement();
	long_lines();
	skip();
	flush_before_size();
	alert_and_udp();
	logtest_end();
	return done_testing();
}
