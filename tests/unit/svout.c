/* Unit test for svout.c: runit's order for the lines of services whose runsv went away, and the buffer's flushing. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svout.h"
#include "tap.h"

static char path[] = "/tmp/rng-svout.XXXXXX";
static int fd;

/* What reached the file so far. */
static const char *written(void)
{
	static char buf[4096];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);

	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static void reset(void)
{
	if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		perror("ftruncate");
}

static void line(const char *s)
{
	svout_put(s);
	svout_flush();
}

static void say(void *ctx)
{
	line(ctx);
}

int main(void)
{
	struct svout_hold a = { 0 }, b = { 0 }, c = { 0 };

	fd = mkstemp(path);
	ok(fd >= 0, "scratch file");
	unlink(path);
	svout_set_fd(fd);

	svout_put("x\n");
	is_str(written(), "", "buffered until flushed");
	svout_flush();
	is_str(written(), "x\n", "a flush writes");
	reset();

	/* a's runsv is gone: b's and c's lines wait; a's fail line, when it
	 * comes, stands where it would have stood */
	line("ok: one\n");
	svout_hold_begin(&a);
	line("ok: b\n");
	line("ok: c\n");
	is_str(written(), "ok: one\n", "held back while a hold is taken");
	svout_hold_end(&a, say, "fail: a: runsv not running\n");
	is_str(written(), "ok: one\nfail: a: runsv not running\nok: b\nok: c\n",
	    "the line of a hold goes to its place, before what came since");
	ok(svout_holds() == 0, "no hold left");
	reset();

	/* a new runsv came: no line, the others keep their order */
	svout_hold_begin(&a);
	line("ok: b\n");
	svout_hold_end(&a, 0, 0);
	is_str(written(), "ok: b\n", "a hold ended without a line leaves the order alone");
	reset();

	/* two holds at one place: the earlier one first, whichever ends first */
	svout_hold_begin(&a);
	svout_hold_begin(&b);
	line("ok: c\n");
	svout_hold_end(&b, say, "fail: b\n");
	is_str(written(), "", "still held while another hold is taken");
	svout_hold_end(&a, say, "fail: a\n");
	is_str(written(), "fail: a\nfail: b\nok: c\n", "holds at one place keep the order they were taken in");
	reset();

	/* nested places: a, then a line, then b; b ends first, then a */
	svout_hold_begin(&a);
	line("ok: 1\n");
	svout_hold_begin(&b);
	line("ok: 2\n");
	svout_hold_end(&b, say, "fail: b\n");
	line("ok: 3\n");
	svout_hold_begin(&c);
	svout_hold_end(&a, say, "fail: a\n");
	is_str(written(), "", "a third hold keeps it all back");
	svout_hold_end(&c, say, "fail: c\n");
	is_str(written(), "fail: a\nok: 1\nfail: b\nok: 2\nok: 3\nfail: c\n",
	    "each line at its own place, the places moved on by lines put before them");
	reset();

	/* a hold never taken: its line goes out in order */
	svout_hold_end(&a, say, "fail: a\n");
	is_str(written(), "fail: a\n", "ending a hold not taken prints in order");
	reset();

	/* fatal: everything out */
	svout_hold_begin(&a);
	line("ok: b\n");
	svout_put("partial");
	svout_flush_all();
	is_str(written(), "ok: b\npartial", "flush_all writes what was held");
	ok(svout_holds() == 0 && !a.holding, "and ends the holds");
	reset();

	/* more than the buffer holds */
	{
		static char big[10000];

		memset(big, 'y', sizeof big - 1);
		svout_hold_begin(&a);
		svout_put(big);
		svout_hold_end(&a, say, "fail: a\n");
		ok(strncmp(written(), "fail: a\nyyy", 11) == 0 && strlen(written()) == 4095,
		    "a held line goes before more than a buffer of held output");
	}
	return done_testing();
}
