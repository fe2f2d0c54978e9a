/* Unit tests for svread.c: one quiet read of a slot: liveness, the record, down, want exit, a matching info, and an info read just ahead of its record (a record due, not waited for). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "status.h"
#include "svread.h"
#include "tap.h"

static void put(const char *name, const void *data, size_t n)
{
	char tmp[64];
	int fd;

	snprintf(tmp, sizeof tmp, "%s.new", name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		must(write(fd, data, n));
		close(fd);
		rename(tmp, name);
	}
}

static void record(uint32_t pid, const struct tain *when, char want, int state)
{
	struct sv_status st = { *when, pid, 0, (unsigned char)want, 0, (unsigned char)state };
	unsigned char raw[STATUS_SIZE];

	status_pack(raw, &st);
	put("supervise/status", raw, sizeof raw);
}

static void info(uint32_t pid, const struct tain *when)
{
	char text[SVINFO_MAX];
	struct svinfo in;

	memset(&in, 0, sizeof in);
	in.pid = pid;
	in.since = *when;
	in.starts = 7;
	put("supervise/info", text, svinfo_format(text, &in));
}

int main(void)
{
	char dir[] = "/tmp/rng-svread.XXXXXX";
	struct svread r;
	struct tain t1, t2;
	int reader;

	memset(&r, 0, sizeof r);
	ok(mkdtemp(dir) != 0 && chdir(dir) == 0 && mkdir("supervise", 0700) == 0 &&
	    mkfifo("supervise/ok", 0600) == 0, "a supervise/ with its ok FIFO");
	ok(svread_slot(&r, "svc") == 0 && r.fail && !strcmp(r.slot.error, "runsv not running"),
	    "no reader: runsv not running, a fail");
	reader = open("supervise/ok", O_RDONLY | O_NONBLOCK);
	ok(svread_slot(&r, "svc") == -1 && !r.fail &&
	    !strcmp(r.slot.error, "unable to open supervise/status: file does not exist"),
	    "no record: a warning in sv status's words");
	put("supervise/status", "short", 5);
	ok(svread_slot(&r, "svc") == -1 && !strcmp(r.slot.error, "unable to read supervise/status: bad format"),
	    "a short record: bad format");

	tain_from_unix(&t1, 1764502345, 100);
	tain_from_unix(&t2, 1764502346, 200);
	record(42, &t1, 'u', SV_RUN);
	ok(svread_slot(&r, "svc") == 1 && !r.slot.error && r.slot.st.pid == 42 && r.slot.normally_up == 1 &&
	    !r.slot.info, "a record, no info (runit's runsv), no down file");
	close(open("down", O_WRONLY | O_CREAT, 0644));
	info(42, &t1);
	ok(svread_slot(&r, "svc") == 1 && r.slot.normally_up == 0 && r.slot.info == &r.info &&
	    r.info.starts == 7, "a down file; a matching info");
	info(41, &t1 /* older: a left-over */);
	tain_from_unix(&t1, 1764502300, 0);
	info(40, &t1);
	tain_from_unix(&t1, 1764502345, 100);
	ok(svread_slot(&r, "svc") == 1 && !r.slot.info && !r.due, "an older info is not believed, nothing due");
	ok(!svread_info_ahead(&r.info, &r.slot.st), "and is not ahead");

	record(42, &t1, 'd', SV_RUN);
	put("supervise/stat", "run, want exit\n", 15);
	ok(svread_slot(&r, "svc") == 1 && r.slot.want_exit, "want exit, from stat");
	put("supervise/stat", "run, want down\n", 15);
	ok(svread_slot(&r, "svc") == 1 && !r.slot.want_exit, "want down");

	/* read between runsv's info and status: the record is due, not waited for */
	tain_now(&t2);
	info(43, &t2);
	ok(svread_slot(&r, "svc") == 1 && r.due && !r.slot.info && r.slot.st.pid == 42,
	    "an info ahead of its record: the old record, and the new one said to be due");
	record(43, &t2, 'u', SV_RUN);
	ok(svread_slot(&r, "svc") == 1 && !r.due && r.slot.st.pid == 43 && r.slot.info,
	    "read again once renamed: the record and its info");
	info(44, &t2);
	ok(svread_info_ahead(&r.info, &r.slot.st) == 0, "(the info read matched)");
	ok(svread_slot(&r, "svc") == 1 && r.due && !r.slot.info && r.slot.st.pid == 43,
	    "an info ahead whose record never comes: due, the info not believed");
	t2.sec += 3600;
	info(45, &t2);
	ok(svread_slot(&r, "svc") == 1 && !r.due && !r.slot.info && r.slot.st.pid == 43,
	    "an info an hour ahead of the clock (stepped back): not believed, nothing due");
	close(reader);
	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		must(system(cmd));
	}
	return done_testing();
}
