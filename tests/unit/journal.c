/* tests/unit/journal.c: svlogd's lock record and journal head (encoding, checks) and journal_settle's reading of a batch after a kill. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "tap.h"

static struct jrecord sample(void)
{
	struct jrecord r;

	memset(&r, 0, sizeof r);
	r.origin.dev = 12;
	r.origin.ino = 0x0102030405060708ull;
	memset(r.origin.boot, 0xab, sizeof r.origin.boot);
	r.home_dev = 2049;
	r.home_ino = 77;
	r.seq = 5;
	r.gen = 3;
	r.jmark = JOURNAL_AT + 10;
	r.carry = 4;
	r.len = 100;
	r.mlen = 1;
	r.before = 1000;
	r.after = 1300;
	r.cur_ino = 99;
	r.first = 'a';
	r.last = '\n';
	r.inbody0 = 1;
	r.sel1 = 1;
	return r;
}

/* A record with one field changed, encoded and sealed again, must read as
 * damaged: what no svlogd writes is trusted for nothing. */
static int reads_damaged(struct jrecord r)
{
	unsigned char b[JRECORD_SIZE];
	struct jrecord back;

	jrecord_encode(b, &r);
	return jrecord_decode(&back, b, sizeof b) == JREAD_DAMAGED;
}

static unsigned char peeked;
static int peek_has;
static int peek_calls;
static int fake_peek(unsigned char *b)
{
	peek_calls++;
	*b = peeked;
	return peek_has;
}


/* --- journal_recover against log directories set up by hand ------------- */

static char top[] = "/tmp/journal-recover.XXXXXX";

static int put_file(const char *dir, const char *name, const void *p, size_t n, off_t at)
{
	char path[256];
	int fd;

	snprintf(path, sizeof path, "%s/%s/%s", top, dir, name);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || pwrite(fd, p, n, at) != (ssize_t)n)
		return -1;
	return close(fd);
}

static uint64_t ino_of(const char *dir, const char *name, uint64_t *dev)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s/%s", top, dir, name);
	if (stat(path, &st) < 0)
		return 0;
	if (dev)
		*dev = (uint64_t)st.st_dev;
	return (uint64_t)st.st_ino;
}

static off_t size_of(const char *dir, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s/%s", top, dir, name);
	return stat(path, &st) < 0 ? -1 : st.st_size;
}

/* dirs a and b, each with a lock and current; returns their jdir views */
static void setup_dirs(const char *case_name, struct jdir d[2], char names[2][64])
{
	for (int i = 0; i < 2; i++) {
		char path[256];
		snprintf(names[i], 64, "%s%c", case_name, 'a' + i);
		snprintf(path, sizeof path, "%s/%s", top, names[i]);
		mkdir(path, 0755);
		put_file(names[i], "lock", "", 0, 0);
		memset(&d[i], 0, sizeof d[i]);
		d[i].ok = 1;
		d[i].fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		snprintf(path, sizeof path, "%s/%s/lock", top, names[i]);
		d[i].lockfd = open(path, O_RDWR | O_CLOEXEC);
		d[i].name = names[i];
		d[i].batch_room = 200000;
	}
}

static void close_dirs(struct jdir d[2])
{
	for (int i = 0; i < 2; i++) {
		close(d[i].fd);
		close(d[i].lockfd);
	}
}

static const struct jorigin pipe_here = { 5, 77, { 1, 2, 3 } };
static const struct jorigin pipe_gone = { 5, 78, { 1, 2, 3 } };

/* the record of one batch, written to both directories' locks (home: a's
 * lock), and a's journal head; current as given */
static void leave(char names[2][64], const struct jorigin *o, const char *cur,
    uint64_t before, uint64_t after, uint64_t len, unsigned char first)
{
	unsigned char rb[JRECORD_SIZE], hb[JHEAD_SIZE];
	struct jrecord r;
	struct jhead h;
	uint64_t dev = 0;

	memset(&r, 0, sizeof r);
	r.origin = *o;
	r.home_ino = ino_of(names[0], "lock", &dev);
	r.home_dev = dev;
	r.seq = 9;
	r.gen = 1;
	r.jmark = JOURNAL_AT;
	r.len = len;
	r.mlen = len ? 1 : 0;
	r.first = first;
	r.last = '\n';
	r.before = before;
	r.after = after;
	for (int i = 0; i < 2; i++) {
		put_file(names[i], "current", cur, strlen(cur), 0);
		r.cur_ino = ino_of(names[i], "current", 0);
		jrecord_encode(rb, &r);
		put_file(names[i], "lock", rb, sizeof rb, 0);
	}
	memset(&h, 0, sizeof h);
	h.origin = *o;
	h.gen = 1;
	h.carry_at = JOURNAL_AT;
	jhead_encode(hb, &h);
	put_file(names[0], "lock", hb, sizeof hb, JOURNAL_HEAD_AT);
}

/* svlogd's state at start-up, on pipe_here */
static void new_journal(struct journal *j)
{
	journal_init(j, -1);
	j->origin = pipe_here;
	j->provable = 1;
}

static void recover_cases(void)
{
	struct jdir d[2];
	char names[2][64];
	struct journal j;
	struct jreplay rp;
	char buf[64];

	if (!mkdtemp(top)) {
		ok(0, "a scratch directory");
		return;
	}

	/* nothing there yet */
	setup_dirs("fresh", d, names);
	new_journal(&j);
	journal_recover(&j, d, 2, 1000, fake_peek, buf, &rp);
	ok(j.fd >= 0 && j.home == 0 && rp.n == 0 && rp.ends, "fresh directories: the journal in the first, nothing to feed again");
	close(j.fd);
	close_dirs(d);

	/* a torn write of the newest batch, still all in the same pipe: cut back */
	setup_dirs("torn", d, names);
	leave(names, &pipe_here, "one\ntwo\nthr", 4, 14, 10, 't');
	new_journal(&j);
	peek_has = 1;
	peeked = 't';
	journal_recover(&j, d, 2, 1000, fake_peek, buf, &rp);
	ok(size_of(names[0], "current") == 4 && size_of(names[1], "current") == 4 && d[0].rec_ok,
	    "same pipe, the batch still in it: a torn write cut back to before");
	ok(!rp.ends && d[0].skip == 0, "and the input goes on from the batch's start");
	close(j.fd);
	close_dirs(d);

	/* the same, on another pipe: kept */
	setup_dirs("kept", d, names);
	leave(names, &pipe_gone, "one\ntwo\nthr", 4, 14, 10, 't');
	new_journal(&j);
	journal_recover(&j, d, 2, 1000, fake_peek, buf, &rp);
	ok(size_of(names[0], "current") == 11 && !d[0].rec_ok && rp.ends,
	    "another pipe: the torn write kept (current set aside later), the input another");
	close(j.fd);
	close_dirs(d);

	/* a's record damaged, b's intact: a trusted for nothing, b skips */
	setup_dirs("dmg", d, names);
	leave(names, &pipe_here, "one\ntwo\n", 4, 8, 4, 't');
	put_file(names[0], "lock", "\xff", 1, 60);
	new_journal(&j);
	peek_has = 1;
	peeked = 't';
	journal_recover(&j, d, 2, 1000, fake_peek, buf, &rp);
	ok(d[0].rec_state == JREAD_DAMAGED && !d[0].rec_ok && d[0].skip == 0,
	    "a damaged record: its directory cuts nothing, skips nothing");
	ok(d[1].rec_state == JREAD_OK && d[1].rec_ok && d[1].skip == 4 && !rp.ends,
	    "the other's record still says the batch is in its current: it skips it");
	close(j.fd);
	close_dirs(d);

	/* b's current written by someone else since: the input is another */
	setup_dirs("other", d, names);
	leave(names, &pipe_here, "one\ntwo\n", 4, 8, 0, 0);
	put_file(names[1], "current", "three\n", 6, 8);
	new_journal(&j);
	journal_recover(&j, d, 2, 1000, fake_peek, buf, &rp);
	ok(rp.ends, "a current written by another since: the input is taken as another");
	close(j.fd);
	close_dirs(d);

	/* the journal's home (a) not listed: the journal moves to b, and says
	 * so in b's lock before anything else; with a back, it is still b */
	setup_dirs("moved", d, names);
	leave(names, &pipe_here, "one\n", 4, 4, 0, 0);
	{
		struct jrecord r;
		struct jhead h;
		unsigned char hb[JHEAD_SIZE];
		uint64_t dev = 0, bino = ino_of(names[1], "lock", &dev);
		new_journal(&j);
		journal_recover(&j, &d[1], 1, 1000, fake_peek, buf, &rp);
		ok(j.fd >= 0 && rp.ends, "home not listed: the journal in the one listed, the input another");
		ok(journal_read_record(d[1].lockfd, &r) == JREAD_OK && r.home_ino == bino &&
		    r.home_dev == dev && r.gen == 2 && r.len == 0 && r.before == 4 && r.after == 4,
		    "its lock names itself the home at once, at the next generation, in an empty batch");
		ok(r.seq > 1000000000ull * 1000000000ull,
		    "numbered past the clock: past any record the unlisted lock may have one more of");
		ok(pread(d[1].lockfd, hb, sizeof hb, JOURNAL_HEAD_AT) == (ssize_t)sizeof hb &&
		    jhead_decode(&h, hb, sizeof hb) == JREAD_OK && h.gen == 2 && !h.first.sec,
		    "and its head is of that generation, with no held head");
		close(j.fd);
		new_journal(&j);
		journal_recover(&j, d, 2, 1000, fake_peek, buf, &rp);
		ok(j.fd >= 0 && j.home == 1, "the old home back: the journal is still where it moved");
		close(j.fd);
	}
	close_dirs(d);

	{
		char cmd[64];
		snprintf(cmd, sizeof cmd, "rm -rf %s", top);
		(void)!system(cmd);
	}
}

int main(void)
{
	unsigned char b[JRECORD_SIZE], z[JRECORD_SIZE], hb[JHEAD_SIZE];
	struct jrecord r = sample(), back, x;
	struct jhead h, hback;

	/* the layout, field by field */
	jrecord_encode(b, &r);
	is_mem(b, "svlogdR\3", 8, "record: magic and version 3");
	ok(b[8] == 12 && b[9] == 0, "record: the pipe's device little-endian at 8");
	ok(b[16] == 8 && b[23] == 1, "record: the pipe's inode little-endian at 16");
	ok(b[56] == 5 && b[128] == 'a' && b[129] == '\n' && b[130] == 1, "record: seq at 56, bytes and flags at 128");
	{
		uint32_t sum = journal_crc32c(b, JRECORD_SIZE - 4);
		ok(b[136] == (sum & 255) && b[139] == (sum >> 24), "record: CRC-32C of the rest at 136");
	}
	ok(journal_crc32c((const unsigned char *)"123456789", 9) == 0xe3069283, "CRC-32C check value");
	ok(jrecord_decode(&back, b, sizeof b) == JREAD_OK && !memcmp(&back, &r, sizeof r), "record: decodes to the same fields");

	/* nothing, damage, another version */
	memset(z, 0, sizeof z);
	ok(jrecord_decode(&back, z, sizeof z) == JREAD_NONE, "zeros: no record");
	ok(jrecord_decode(&back, z, 0) == JREAD_NONE, "an empty lock: no record");
	ok(jrecord_decode(&back, b, 100) == JREAD_DAMAGED, "a short record: damaged");
	{
		int all = 1;
		for (size_t i = 0; i < sizeof b; i++)
			for (int bit = 0; bit < 8; bit++) {
				b[i] ^= (unsigned char)(1 << bit);
				all &= jrecord_decode(&back, b, sizeof b) == JREAD_DAMAGED;
				b[i] ^= (unsigned char)(1 << bit);
			}
		ok(all, "any one bit flipped: damaged");
	}
	jrecord_encode(b, &r);
	b[7] = 2;
	ok(jrecord_decode(&back, b, sizeof b) == JREAD_DAMAGED, "another version: damaged");
	memcpy(z, "svlogdR2", 8);
	memset(z + 8, 0x5a, 100);
	ok(jrecord_decode(&back, z, sizeof z) == JREAD_DAMAGED, "the old in-memory layout: damaged");

	/* sealed, but what cannot be */
	x = r; x.len = 1ull << 40; x.mlen = x.len;
	ok(reads_damaged(x), "a batch of 2^40 bytes");
	x = r; x.mlen = 1ull << 40;
	ok(reads_damaged(x), "mlen neither 1 nor len");
	x = r; x.len = 0;
	ok(reads_damaged(x), "mlen without len");
	x = r; x.before = 2000;
	ok(reads_damaged(x), "before past after");
	x = r; x.jmark = 100;
	ok(reads_damaged(x), "jmark before the journal");
	x = r; x.carry = 11;
	ok(reads_damaged(x), "carry past the journal's start");
	x = r; x.sel0 = 2;
	ok(reads_damaged(x), "a flag neither 0 nor 1");
	x = r; x.seq = 0;
	ok(reads_damaged(x), "seq 0");
	x = r; x.len = JOURNAL_BATCH_MAX; x.mlen = x.len;
	ok(!reads_damaged(x), "a batch of a whole pipe is fine");

	/* the head */
	memset(&h, 0, sizeof h);
	h.origin = r.origin;
	h.gen = 7;
	h.carry_at = JOURNAL_AT + 3;
	h.first.sec = 0x4000000065000000ull;
	h.first.nano = 123456789;
	jhead_encode(hb, &h);
	is_mem(hb, "svlogdJ\3", 8, "head: magic and version 3");
	ok(jhead_decode(&hback, hb, sizeof hb) == JREAD_OK && !memcmp(&hback, &h, sizeof h), "head: decodes to the same fields");
	hb[50] ^= 1;
	ok(jhead_decode(&hback, hb, sizeof hb) == JREAD_DAMAGED, "head: a flipped bit: damaged");
	h.first.nano = 1000000000u;
	jhead_encode(hb, &h);
	ok(jhead_decode(&hback, hb, sizeof hb) == JREAD_DAMAGED, "head: nano past a second: damaged");
	h.first.nano = 0;
	h.carry_at = 10;
	jhead_encode(hb, &h);
	ok(jhead_decode(&hback, hb, sizeof hb) == JREAD_DAMAGED, "head: carry_at before the journal: damaged");

	/* journal_settle: where the newest batch stands */
	{
		struct journal j;
		struct jrecord c = sample();
		char buf[64];
		int same, p[2], fd;
		char tmpl[] = "/tmp/journal-unit.XXXXXX";

		if (pipe(p) < 0 || (fd = mkstemp(tmpl)) < 0)
			return 1;
		unlink(tmpl);
		journal_init(&j, p[0]);
		j.fd = fd;
		j.gen = c.gen;
		j.size = c.jmark;

		same = 1;
		ok(journal_settle(&j, 0, &same, fake_peek, buf) == 0 && same, "no record: nothing pending");
		j.gen = c.gen + 1;
		ok(journal_settle(&j, &c, &same, fake_peek, buf) == 0, "another generation: taken long ago");
		j.gen = c.gen;
		j.size = c.jmark + 1;
		ok(journal_settle(&j, &c, &same, fake_peek, buf) == 0, "its last byte in the journal: taken");
		j.size = c.jmark;
		same = 0;
		peek_calls = 0;
		ok(journal_settle(&j, &c, &same, fake_peek, buf) == 1 && !peek_calls,
		    "another pipe: pending (its input went with the old pipe), the pipe not looked at");
		same = 1;
		peek_has = 1;
		peeked = 'a';
		ok(journal_settle(&j, &c, &same, fake_peek, buf) == 1 && same, "the pipe starts with its first byte: pending");
		peeked = 'q';
		ok(journal_settle(&j, &c, &same, fake_peek, buf) == 1 && !same, "the pipe starts with another byte: another input");
		same = 1;
		peek_has = 0;
		ok(journal_settle(&j, &c, &same, fake_peek, buf) == 1 && !same, "an empty pipe: another input");
		same = 1;
		peek_has = 1;
		peeked = '\n';
		if (write(p[1], "\n", 1) != 1)
			return 1;
		ok(journal_settle(&j, &c, &same, fake_peek, buf) == 0 && same && j.size == c.jmark + 1,
		    "only its last byte in the pipe: moved into the journal, taken");
		c.len = 0; c.mlen = 0;
		j.size = c.jmark;
		ok(journal_settle(&j, &c, &same, fake_peek, buf) == 1, "all in the journal (a held head) and nothing after: pending");
		j.size = c.jmark + 2;
		ok(journal_settle(&j, &c, &same, fake_peek, buf) == 0, "a held head with more after it: taken");
		c.len = 3; c.mlen = 3; c.first = c.last = 'x';
		j.size = c.jmark + 1;
		if (write(p[1], "xx", 2) != 2)
			return 1;
		ok(journal_settle(&j, &c, &same, fake_peek, buf) == 0 && j.size == c.jmark + 3,
		    "moved whole, partly: the rest moved");
		close(fd);
		close(p[0]);
		close(p[1]);
	}
	recover_cases();
	return done_testing();
}
