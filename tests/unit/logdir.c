/* Unit tests for logdir.c and logproc.c: a log directory's open, lock and config, current's set-aside and rotation, pruning, a full disk's deletions, the processor and its hand-over. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "logdir.h"
#include "logproc.h"
#include "logtest.h"

static int stopping, drops;

static void dropped(struct logdir *d)
{
	(void)d;
	drops++;
}

static char *new_dir(const char *name)
{
	static char path[16][512];
	static int n;
	char *p = path[n++ % 16];

	snprintf(p, 512, "%s/%s", top, name);
	must(mkdir(p, 0700));
	return p;
}

static mode_t mode_of(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) < 0 ? (mode_t)-1 : st.st_mode & 07777;
}

/* A set of one directory at path, opened as svlogd opens it. */
static void open_one(struct logset *set, struct logdir *d, char *path)
{
	logset_init(set, d, 1, &path);
	set->linemax = 1000;
	set->stopping = &stopping;
	set->write_batch = write_batch;
	set->dropped = dropped;
	logdir_open(d);
}

static void append(struct logdir *d, const char *text)
{
	size_t n = strlen(text);

	memcpy(d->obuf + d->olen, text, n);
	d->olen += n;
	write_batch(d);
}

static void opening(void)
{
	struct logset set, set2;
	struct logdir d, d2;
	char *p = new_dir("open");

	put_file(p, "config", "s100\nn2\n", 0644);
	quiet();
	open_one(&set, &d, p);
	quiet_end();
	ok(d.ok && d.fd >= 0 && d.lockfd >= 0, "a directory opens and locks");
	is_str(errtext, "", "without a word");
	ok(d.conf.sizemax == 100 && d.conf.nmax == 2, "its config is read");
	ok(mode_of(p, "lock") == 0600, "lock is made, 0600");

	quiet();
	open_one(&set2, &d2, p);
	quiet_end();
	ok(!d2.ok && d2.fd < 0 && d2.lockfd < 0, "a second svlogd cannot lock it");
	said(!strncmp(errtext, "svlogd: warning: unable to lock directory: ", 43), "and says so");

	logdir_open_current(&d, 0);
	ok(d.ok && d.curfd >= 0 && d.size == 0 && mode_of(p, "current") == 0644,
	    "a new current, 0644");
	ok(d.ocap >= logdir_batch_room(&d) && d.abuf, "batch buffers as large as a batch can be");
	append(&d, "one\n");
	logdir_close(&d);
	ok(!d.ok && d.fd < 0 && d.lockfd < 0 && d.curfd < 0, "closed");
	ok(mode_of(p, "current") == 0744, "a closed current is 0744: closed cleanly");
	is_str(read_at(p, "current"), "one\n", "what was written stays");

	logdir_open(&d);
	logdir_open_current(&d, 0);
	ok(d.ok && d.size == 4, "a clean current is appended to");
	logdir_close(&d);

	quiet();
	open_one(&set2, &d2, "/nonexistent/logdir");
	quiet_end();
	ok(!d2.ok, "a missing directory is not in use");
	is_str(errtext, "svlogd: warning: unable to open log directory: /nonexistent/logdir: file does not exist\n",
	    "and says so, byte for byte");

	p = new_dir("fifo-config");
	char path[600];
	snprintf(path, sizeof path, "%s/config", p);
	must(mkfifo(path, 0600));
	quiet();
	open_one(&set2, &d2, p);
	quiet_end();
	said(!d2.ok && strstr(errtext, "unable to read config: "), "a FIFO as config is refused, never read");
}

static void set_aside(void)
{
	struct logset set;
	struct logdir d;
	char *p = new_dir("aside");

	put_file(p, "current", "whole\nhalf a li", 0644);
	open_one(&set, &d, p);
	quiet();
	logdir_open_current(&d, 0);
	quiet_end();
	ok(d.ok && d.size == 0, "a current not closed cleanly is set aside");
	ok(count_old(p, 'u', 0) == 1, "as an @...u, for the processor");
	char old[LOG_NAMELEN];
	count_old(p, 'u', old);
	is_str(read_at(p, old), "whole\nhalf a li\n", "its unended line ended");
	logdir_close(&d);

	p = new_dir("goes-on");
	put_file(p, "current", "whole\nhalf a li", 0644);
	open_one(&set, &d, p);
	logdir_open_current(&d, 1);
	ok(d.ok && d.size == 15 && count_old(p, 0, 0) == 0,
	    "a current whose line goes on is appended to, not set aside");
	logdir_close(&d);

	p = new_dir("clean-unended");
	put_file(p, "current", "whole\nhalf a li", 0744);
	open_one(&set, &d, p);
	batches = 0;
	logdir_open_current(&d, 0);
	ok(d.ok && batches == 1 && d.size == 16, "a clean current ending inside a line no one goes on with is ended");
	is_str(read_at(p, "current"), "whole\nhalf a li\n", "with a newline");
	logdir_close(&d);

	p = new_dir("current-dir");
	char path[600];
	snprintf(path, sizeof path, "%s/current", p);
	must(mkdir(path, 0700));
	open_one(&set, &d, p);
	ok(logdir_current_unusable(&d) && errno == EISDIR, "a directory as current is unusable (EISDIR)");
	drops = 0;
	quiet();
	logdir_open_current(&d, 0);
	quiet_end();
	ok(!d.ok && drops == 1 && d.fd < 0, "and its directory is dropped, the callback told");
	said(strstr(errtext, "svlogd: warning: unable to open current: ") != 0, "with a warning");
}

static void rotation(void)
{
	struct logset set;
	struct logdir d;
	char *p = new_dir("rotate");
	char old[LOG_NAMELEN];

	put_file(p, "config", "n2\n", 0644);
	open_one(&set, &d, p);
	logdir_open_current(&d, 0);
	logdir_rotate(&d);
	ok(count_old(p, 0, 0) == 0, "an empty current is not rotated");
	append(&d, "first\n");
	d.sel = 1;
	logdir_rotate(&d);
	ok(d.rotate_wanted && count_old(p, 0, 0) == 0, "never inside a line: wanted for later");
	d.sel = 0;
	logset_settle(&set);
	ok(!d.rotate_wanted && count_old(p, 's', old) == 1 && d.size == 0, "settled once the line ended");
	is_str(read_at(p, old), "first\n", "the rotated file holds what current held");
	ok(mode_of(p, old) == 0744 && mode_of(p, "current") == 0644, "old file 0744, new current 0644");
	append(&d, "second\n");
	logdir_rotate(&d);
	append(&d, "third\n");
	logdir_rotate(&d);
	ok(count_old(p, 's', old) == 2, "n2: two old files kept");
	is_str(read_at(p, old), "second\n", "the oldest went first");

	d.conf.sizemax = 10;
	append(&d, "0123456789\n");
	logset_settle(&set);
	ok(d.size == 0 && count_old(p, 0, 0) == 2, "settle rotates a current past s");
	logdir_close(&d);
}

static void full_disk(void)
{
	struct logset set;
	struct logdir d;
	char *p = new_dir("full");

	put_file(p, "config", "n5\nN1\n", 0644);
	put_file(p, "@400000000000000100000000.s", "a\n", 0744);
	put_file(p, "@400000000000000200000000.s", "b\n", 0744);
	put_file(p, "@400000000000000300000000.t", "leftover\n", 0644);
	open_one(&set, &d, p);
	logdir_open_current(&d, 0);
	quiet();
	ok(logdir_free_space(&d) == 1, "a full disk deletes an old file while more than N");
	ok(logdir_free_space(&d) == 0, "not the last N");
	quiet_end();
	said(!strncmp(errtext, "svlogd: warning: out of disk space, delete: ", 44), "the warning");
	said(strstr(errtext, "/@400000000000000100000000.s\n") != 0, "the oldest went");
	ok(count_old(p, 't', 0) == 1, "a processor's leftover is not counted, nor deleted here");
	d.conf.nmin = d.conf.nmax;
	ok(logdir_free_space(&d) == 0, "N >= n: nothing is deleted");
	logdir_close(&d);
}

static void processor(void)
{
	struct logset set;
	struct logdir d;
	char *p = new_dir("proc");
	char old[LOG_NAMELEN];

	put_file(p, "config", "!tr a-z A-Z && echo done >&5\n", 0644);
	open_one(&set, &d, p);
	logdir_open_current(&d, 0);
	append(&d, "lower\n");
	logdir_rotate(&d);
	ok(d.procpid > 0 && count_old(p, 'u', 0) == 1, "rotated to @...u, the processor runs");
	logproc_wait(&d);
	ok(!d.procpid && d.procdir < 0 && !d.procname[0], "it ended and was cleaned up after");
	ok(count_old(p, 'u', 0) == 0 && count_old(p, 's', old) == 1, "its input went, its output is @...s");
	is_str(read_at(p, old), "LOWER\n", "the processor's output");
	is_str(read_at(p, "state"), "done\n", "newstate became state");
	logdir_close(&d);

	p = new_dir("proc-fails");
	put_file(p, "config", "!exit 3\n", 0644);
	open_one(&set, &d, p);
	logdir_open_current(&d, 0);
	append(&d, "kept\n");
	quiet();
	logdir_rotate(&d);
	logproc_wait(&d);
	quiet_end();
	ok(d.proc_retry.tv_sec != 0 && d.procfails == 1, "a failed processor waits to run again");
	said(strstr(errtext, "svlogd: warning: processor failed, restart: ") != 0, "and says so");
	ok(count_old(p, 'u', old) == 1 && !strcmp(read_at(p, old), "kept\n"), "its input is kept");
	append(&d, "more\n");
	logdir_rotate(&d);
	ok(d.rotate_wanted && count_old(p, 0, 0) == 1, "no rotation while a failed processor waits");
	stopping = 1;
	quiet();
	d.proc_retry.tv_sec = 1; /* due */
	logset_timers(&set);
	quiet_end();
	stopping = 0;
	ok(!d.proc_retry.tv_sec && !d.procname[0], "stopping: a due retry gives up");
	said(strstr(errtext, "processor failed, keep unprocessed: ") != 0, "and says so");
	ok(count_old(p, 'u', 0) == 1, "its input stays");
	logdir_close(&d);
}

static void handovers(void)
{
	struct logset set;
	struct logdir d;
	char *p = new_dir("handover");

	put_file(p, "@400000000000000100000000.s", "done\n", 0744);
	put_file(p, "@400000000000000100000000.u", "done\n", 0744);
	put_file(p, "@400000000000000200000000.u", "waiting\n", 0744);
	put_file(p, "newstate", "new\n", 0644);
	open_one(&set, &d, p);
	quiet();
	logproc_finish_handovers(&d);
	quiet_end();
	ok(count_old(p, 's', 0) == 1 && count_old(p, 'u', 0) == 1,
	    "a processed file's input goes; another input stays");
	is_str(read_at(p, "@400000000000000200000000.u"), "waiting\n", "the one waiting");
	is_str(read_at(p, "state"), "new\n", "newstate became state");
	said(strstr(errtext, "processed before a kill, finish: ") != 0, "with a warning");
	logdir_drop(&d); /* current never opened */
}

int main(void)
{
	diag_prefix = "svlogd";
	if (!logtest_begin())
		return done_testing();
	opening();
	set_aside();
	rotation();
	full_disk();
	processor();
	handovers();
	logtest_end();
	return done_testing();
}
