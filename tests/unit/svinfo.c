/* Unit tests for svinfo.c (supervise/info) and the Unix-time labels of tai.c. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "svinfo.h"
#include "tap.h"

int main(void)
{
	struct svinfo in, out;
	struct sv_status st;
	struct tain t, u;
	char buf[SVINFO_MAX], text[SVINFO_TEXT_MAX], path[] = "/tmp/rng-svinfo.XXXXXX";
	size_t n;
	int fd;

	tain_from_unix(&t, 1764502345, 123456);
	n = tain_fmt_unix(buf, &t);
	is_str(buf, "1764502345.123456500", "Unix label with nine nanosecond digits");
	ok(n == 20, "its length");
	ok(tain_scan_unix(buf, n, &u) == 0 && u.sec == t.sec && u.nano == t.nano, "scan inverts fmt");
	ok(tain_scan_unix("17", 2, &u) == 0 && tain_unix(&u) == 17 && u.nano == 0, "seconds alone");
	ok(tain_scan_unix("1.5", 3, &u) < 0, "short fraction refused");
	ok(tain_scan_unix("x", 1, &u) < 0 && tain_scan_unix("", 0, &u) < 0, "garbage refused");
	tain_from_unix(&t, -5, 0);
	n = tain_fmt_unix(buf, &t);
	is_str(buf, "-5.000000500", "negative time");
	ok(tain_scan_unix(buf, n, &u) == 0 && tain_unix(&u) == -5, "negative round trip");

	memset(&in, 0, sizeof in);
	in.pid = 4987;
	tain_from_unix(&in.since, 1764502345, 123456);
	in.starts = 3;
	in.exit_kind = svinfo_exit_of(1 << 8, &in.exit_value);
	in.exit_at = in.since;
	in.readiness = SVINFO_READY_NOTIFY;
	in.ready = 1;
	tain_from_unix(&in.ready_since, 1764502346, 0);
	svinfo_set_text(in.status_text, "listening\non :80", 16);
	in.kill = SVINFO_KILL_CGROUP;
	strcpy(in.cgroup, "/sys/fs/cgroup/unified/x");
	in.main_pid = 4990;
	n = svinfo_format(buf, &in);
	buf[n] = 0;
	is_str(buf, "pid=4987\nsince=1764502345.123456500\nstarts=3\nlast_exit=exit 1\n"
	    "last_exit_at=1764502345.123456500\nreadiness=notify\n"
	    "ready_since=1764502346.000000500\nstatus_text=listening on :80\n"
	    "kill=cgroup\ncgroup=/sys/fs/cgroup/unified/x\nmain_pid=4990\n"
	    "oneshot=\nwaiting_count=\nwaiting=\nreadiness_error=\n"
	    "next_start=\ngave_up=\ntemplate=\ninstance=\n", "the documented layout");
	ok(svinfo_parse(buf, n, &out) == 0, "parses");
	ok(out.pid == 4987 && out.starts == 3 && out.exit_kind == SVINFO_EXIT_CODE &&
	    out.exit_value == 1 && out.readiness == SVINFO_READY_NOTIFY && out.ready &&
	    out.kill == SVINFO_KILL_CGROUP && out.main_pid == 4990, "fields round trip");
	is_str(out.status_text, "listening on :80", "status text");
	is_str(out.cgroup, "/sys/fs/cgroup/unified/x", "cgroup path");
	strcpy(in.readiness_error, "unable to create the notify socket: access denied");
	n = svinfo_format(buf, &in);
	ok(svinfo_parse(buf, n, &out) == 0 && !strcmp(out.readiness_error, in.readiness_error),
	    "readiness_error round trips");

	st.pid = 4987;
	st.stamp = in.since;
	ok(svinfo_matches(&out, &st), "matches its status record");
	st.stamp.nano++;
	ok(!svinfo_matches(&out, &st), "a different stamp does not match");

	{ /* a down record that announced a start describes that start */
		struct svinfo down;
		struct sv_status run;

		memset(&down, 0, sizeof down);
		tain_from_unix(&down.since, 1764502345, 0);
		down.starts = 4;
		down.exit_kind = SVINFO_EXIT_CODE;
		down.exit_value = 1;
		down.next_due = 1;
		tain_from_unix(&down.next_start, 1764502346, 0);
		strcpy(down.status_text, "old text");
		memset(&run, 0, sizeof run);
		run.pid = 77;
		run.state = SV_RUN;
		tain_from_unix(&run.stamp, 1764502346, 3000);
		out = down;
		ok(svinfo_matches(&out, &run) && out.pid == 77 && out.starts == 5 && !out.next_due &&
		    out.since.nano == run.stamp.nano && !out.status_text[0] && out.exit_value == 1,
		    "derived: the start's pid, since, one more start, no text, the last exit kept");
		ok(!svinfo_same_moment(&down, &run), "not the same moment");
		out = down;
		tain_from_unix(&run.stamp, 1764502347, 200000);
		ok(!svinfo_matches(&out, &run), "a start more than a second late is not derived");
		tain_from_unix(&run.stamp, 1764502345, 900000);
		ok(!svinfo_matches(&out, &run), "nor one 100 ms early");
		tain_from_unix(&run.stamp, 1764502346, 3000);
		out = down;
		out.next_due = 0;
		ok(!svinfo_matches(&out, &run), "no start announced: no derivation");
		out = down;
		out.gave_up = 5;
		ok(!svinfo_matches(&out, &run), "nor after giving up");
		out = down;
		run.state = SV_FINISH;
		ok(!svinfo_matches(&out, &run), "nor for ./finish");
	}

	{
		int v = -1;

		ok(svinfo_exit_of(0, &v) == SVINFO_EXIT_CODE && v == 0, "svinfo_exit_of: exit 0");
		ok(svinfo_exit_of(255 << 8, &v) == SVINFO_EXIT_CODE && v == 255, "svinfo_exit_of: exit 255");
		ok(svinfo_exit_of(SIGTERM, &v) == SVINFO_EXIT_SIGNAL && v == SIGTERM, "svinfo_exit_of: TERM");
		ok(svinfo_exit_of(SIGSEGV | 0x80, &v) == SVINFO_EXIT_SIGNAL && v == SIGSEGV,
		    "svinfo_exit_of: a core dump is the signal alone");
	}
	memset(&in, 0, sizeof in);
	in.exit_kind = svinfo_exit_of(SIGKILL, &in.exit_value);
	in.exit_at = t;
	n = svinfo_format(buf, &in);
	buf[n] = 0;
	ok(strstr(buf, "\nlast_exit=signal 9\n") != 0, "signal exit");
	ok(strstr(buf, "\nready_since=\n") && strstr(buf, "\nreadiness=none\n") &&
	    strstr(buf, "\nkill=process\ncgroup=\nmain_pid=\n"), "empty values");
	in.exit_kind = SVINFO_EXIT_NONE;
	n = svinfo_format(buf, &in);
	ok(svinfo_parse(buf, n, &out) == 0 && out.exit_kind == SVINFO_EXIT_NONE && !out.ready,
	    "no exit yet, not ready");

	ok(svinfo_parse("since=1.000000000\n", 18, &out) < 0, "no pid: untrusted");
	ok(svinfo_parse("pid=1\n", 6, &out) < 0, "no since: untrusted");
	ok(svinfo_parse("pid=1\nsince=2\nfuture=x\nlast_exit=exit 999\nreadiness=tea\n", 55, &out) == 0 &&
	    out.exit_kind == SVINFO_EXIT_NONE && out.readiness == SVINFO_READY_NONE,
	    "unknown keys and bad values are ignored");
	ok(svinfo_parse("pid=1\0\nsince=2", 14, &out) < 0, "a NUL in a number is refused");

	memset(text, 'x', sizeof text);
	{
		char big[600];

		memset(big, 'a', sizeof big);
		big[SVINFO_TEXT_MAX - 2] = (char)0xc3;
		big[SVINFO_TEXT_MAX - 1] = (char)0xa9;
		svinfo_set_text(text, big, sizeof big);
		ok(strlen(text) == SVINFO_TEXT_MAX - 2, "a long text is cut before a split character");
	}
	memset(&in, 0xff, sizeof in); /* no NUL anywhere: format must stay bounded */
	in.readiness = 7;
	in.kill = 9;
	n = svinfo_format(buf, &in);
	ok(n <= SVINFO_MAX, "format is bounded even without NULs (%zu)", n);

	fd = mkstemp(path);
	memset(&in, 0, sizeof in);
	in.pid = 7;
	n = svinfo_format(buf, &in);
	ok(fd >= 0 && write(fd, buf, n) == (ssize_t)n, "temp file");
	close(fd);
	ok(svinfo_read_at(AT_FDCWD, path, &out) == 0 && out.pid == 7, "read_at");
	fd = open(path, O_WRONLY | O_TRUNC);
	ok(write(fd, "junk", 4) == 4, "junk written");
	close(fd);
	ok(svinfo_read_at(AT_FDCWD, path, &out) == 1, "junk is 1");
	unlink(path);
	ok(svinfo_read_at(AT_FDCWD, path, &out) < 0 && errno == ENOENT, "missing is -1/ENOENT");
	return done_testing();
}
