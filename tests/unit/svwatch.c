/* Unit tests for svwatch.c: which file-system events wake sv, and which never do. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "svwatch.h"
#include "tap.h"

static unsigned got[8];
static int hits;

static void hit(void *ctx, int id)
{
	(void)ctx;
	hits++;
	if (id < 0) {
		for (int i = 0; i < 8; i++)
			got[i] = 1;
		return;
	}
	if (id < 8)
		got[id] = 1;
}

/* Reads what is pending; returns 1 if id is to be looked at, clearing all. */
static unsigned take(struct svwatch *w, int id)
{
	unsigned woken;

	(void)svwatch_read(w, hit, 0);
	woken = got[id];
	for (int i = 0; i < 8; i++)
		got[i] = 0;
	return woken;
}

static void put(const char *name)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		must(write(fd, "x", 1));
		close(fd);
	}
}

int main(void)
{
	char dir[] = "/tmp/rng-svwatch.XXXXXX", buf[4];
	struct svwatch w;
	struct svwatch_slot a = SVWATCH_SLOT_INIT, b = SVWATCH_SLOT_INIT;
	int reader, fd;

	ok(mkdtemp(dir) != 0 && chdir(dir) == 0, "scratch directory");
	mkdir("svc", 0700);
	ok(chdir("svc") == 0, "in a service directory without supervise/");
	ok(svwatch_open(&w) == 0, "inotify instance");

	ok(svwatch_arm(&w, 1, &a, 0) == 0 && a.wd_up >= 0 && a.wd_dir < 0,
	    "no supervise/: the service directory is watched");
	mkdir("supervise", 0700);
	ok(take(&w, 1) == 1, "supervise/ appearing: look (which arms again)");
	ok(svwatch_arm(&w, 1, &a, 0) == 0 && a.wd_dir >= 0 && a.wd_up < 0 && a.wd_ok < 0,
	    "supervise/ watched, ok awaited");
	mkfifo("supervise/ok", 0600);
	ok(take(&w, 1) == 1, "ok appearing: look (which arms again)");
	ok(svwatch_arm(&w, 1, &a, 0) == 0 && a.wd_ok >= 0, "ok watched");

	reader = open("supervise/ok", O_RDONLY | O_NONBLOCK);
	ok(take(&w, 1) == 1, "a runsv opening ok while none ran: look");
	ok(svwatch_arm(&w, 1, &a, 1) == 0, "armed as alive");
	fd = open("supervise/ok", O_WRONLY | O_NONBLOCK);
	close(fd);
	ok(take(&w, 1) == 0, "sv's own probe of ok wakes nothing");

	put("supervise/status.new");
	rename("supervise/status.new", "supervise/status");
	ok(take(&w, 1) == 1, "status renamed into place: look");
	put("supervise/info.new");
	rename("supervise/info.new", "supervise/info");
	ok(take(&w, 1) == 1, "info renamed into place: look");
	put("supervise/pid.new");
	rename("supervise/pid.new", "supervise/pid");
	put("supervise/stat.new");
	rename("supervise/stat.new", "supervise/stat");
	ok(take(&w, 1) == 0, "pid and stat renames: nothing");
	fd = open("supervise/status", O_RDONLY);
	must(read(fd, buf, sizeof buf));
	close(fd);
	fd = open("supervise/info", O_RDONLY);
	close(fd);
	ok(take(&w, 1) == 0, "sv's own reads of status and info wake nothing");

	ok(svwatch_arm(&w, 2, &b, 1) == 0 && b.wd_dir == a.wd_dir && b.wd_ok == a.wd_ok,
	    "a second slot on the same service shares the watches");
	put("supervise/status.new");
	rename("supervise/status.new", "supervise/status");
	(void)svwatch_read(&w, hit, 0);
	ok(got[1] == 1 && got[2] == 1, "both slots hear it");
	got[1] = got[2] = 0;
	svwatch_disarm(&w, 2, &b);
	put("supervise/status.new");
	rename("supervise/status.new", "supervise/status");
	(void)svwatch_read(&w, hit, 0);
	ok(got[1] == 1 && got[2] == 0, "disarming one keeps the other's watch");
	got[1] = 0;

	close(reader);
	ok(take(&w, 1) == 1, "runsv exiting (ok's reader closed): look");

	/* supervise/ replaced, as when it is a link to a recreated tmpfs directory */
	rename("supervise", "supervise.old");
	ok(take(&w, 1) == 1, "supervise/ moved away: look (which arms again)");
	mkdir("supervise", 0700);
	mkfifo("supervise/ok", 0600);
	ok(svwatch_arm(&w, 1, &a, 0) == 0, "armed on the new directory");
	put("supervise/status.new");
	rename("supervise/status.new", "supervise/status");
	ok(take(&w, 1) == 1, "the new directory's status is heard");
	put("supervise.old/status.new");
	rename("supervise.old/status.new", "supervise.old/status");
	ok(take(&w, 1) == 0, "the old one's is not");

	/* supervise a link to a directory runsv is yet to make (/run/runit/supervise.NAME) */
	{
		struct svwatch_slot c = SVWATCH_SLOT_INIT;

		ok(chdir("..") == 0 && mkdir("run", 0700) == 0 && mkdir("linked", 0700) == 0 &&
		    symlink("../run/supervise.linked", "linked/supervise") == 0 && chdir("linked") == 0,
		    "a service whose supervise links to a missing directory");
		ok(svwatch_arm(&w, 3, &c, 0) == 0 && c.wd_far >= 0 && c.wd_dir < 0,
		    "dangling supervise link: the target's parent is watched");
		mkdir("../run/other", 0700);
		ok(take(&w, 3) != 0, "something made there: look");
		mkdir("../run/supervise.linked", 0700);
		ok(take(&w, 3) == 1, "the target made: look (which arms again)");
		ok(svwatch_arm(&w, 3, &c, 0) == 0 && c.wd_dir >= 0 && c.wd_far < 0 && c.wd_up < 0,
		    "then supervise/ itself is watched");
		put("supervise/status.new");
		rename("supervise/status.new", "supervise/status");
		ok(take(&w, 3) == 1, "and its status heard");
		svwatch_disarm(&w, 3, &c);
		ok(unlink("supervise") == 0 && symlink("../nowhere/supervise.linked", "supervise") == 0,
		    "a link whose target's parent is missing too");
		ok(svwatch_arm(&w, 3, &c, 0) < 0, "cannot be followed by events: the caller looks on a clock");
		svwatch_disarm(&w, 3, &c);
		ok(chdir("../svc") == 0, "back");
	}

	/* the service's own entry: replaced, it wakes its slot, not others */
	{
		struct svwatch_slot d = SVWATCH_SLOT_INIT, e = SVWATCH_SLOT_INIT;

		ok(chdir("..") == 0 && mkdir("named", 0700) == 0 && mkdir("other", 0700) == 0,
		    "two entries in one directory");
		ok(svwatch_arm_name(&w, 4, &d, ".", "named") == 0 && svwatch_arm_name(&w, 5, &e, ".", "other") == 0,
		    "each armed for its name");
		ok(rename("named", "named.old") == 0 && take(&w, 4) == 1, "moved away: heard");
		ok(mkdir("named", 0700) == 0 && take(&w, 4) == 1, "made again: heard");
		ok(mkdir("x", 0700) == 0 && rmdir("x") == 0 && take(&w, 4) == 0,
		    "other names in the directory: not its business");
		ok(rmdir("other") == 0 && svwatch_read(&w, hit, 0) == 0 && got[5] && !got[4],
		    "the other's removal wakes the other only");
		(void)take(&w, 5);
		svwatch_disarm(&w, 4, &d);
		svwatch_disarm(&w, 5, &e);
		ok(chdir("svc") == 0, "back");
	}

	hits = 0;
	(void)svwatch_read(&w, hit, 0);
	ok(hits == 0, "nothing pending at the end");
	svwatch_close(&w);
	ok(w.fd == -1 && svwatch_arm(&w, 1, &a, 1) < 0, "closed: arming fails, the caller polls");
	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		must(system(cmd));
	}
	return done_testing();
}
