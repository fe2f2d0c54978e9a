/* logproc.c: a svlogd log directory's processor: its start on a rotated @X.u, its end and the hand-over of its output, its retries after a failure. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "logproc.h"
#include "loop.h"

static _Noreturn void processor_fail(struct logdir *d, const char *what)
{
	die(111, errno, "unable to ", what, ": ", d->name);
}

/* name with its state letter (s, t or u) replaced. */
static void renamed(char to[LOG_NAMELEN], const char *name, char state)
{
	memcpy(to, name, LOG_NAMELEN);
	to[LOG_NAMELEN - 2] = state;
}

void logproc_start(struct logdir *d)
{
	pid_t pid;
	char tname[LOG_NAMELEN], c;
	int exec_seen[2];

	d->proc_retry.tv_sec = 0;
	while (pipe2(exec_seen, O_CLOEXEC) < 0)
		logdir_pause(d, "unable to fork for processor", errno);
	while ((pid = fork()) < 0)
		logdir_pause(d, "unable to fork for processor", errno);
	if (pid) {
		d->procpid = pid;
		close(exec_seen[1]);
		(void)!read_intr(exec_seen[0], &c, 1); /* end of file at its exec */
		close(exec_seen[0]);
		return;
	}
	loop_child_signals();
	signal(SIGPIPE, SIG_DFL);
	/* the processor's files take fds 0, 1, 4 and 5, whatever was there:
	 * keep a copy of the exec pipe above them, and enter procdir first */
	(void)fcntl(exec_seen[1], F_DUPFD_CLOEXEC, 6);
	if (fchdir(d->procdir) < 0)
		processor_fail(d, "change directory, want processor");
	renamed(tname, d->procname, 't');
	/* the processor may run as anyone: none of its files is opened or
	 * created through a symbolic link, and each must be a regular file
	 * (a FIFO would block here) */
	int in = logdir_open_own(AT_FDCWD, d->procname, O_RDONLY, 0);
	if (in < 0 || fd_move(0, in) < 0)
		processor_fail(d, "open input for processor");
	int out = logdir_open_own(AT_FDCWD, tname, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || fd_move(1, out) < 0)
		processor_fail(d, "open output for processor");
	int st = logdir_open_own(AT_FDCWD, "state", O_RDONLY | O_CREAT, 0644);
	if (st < 0 || fd_move(4, st) < 0)
		processor_fail(d, "open state for processor");
	int ns = logdir_open_own(AT_FDCWD, "newstate", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (ns < 0 || fd_move(5, ns) < 0)
		processor_fail(d, "open newstate for processor");
	execl("/bin/sh", "sh", "-c", d->conf.processor, (char *)0);
	processor_fail(d, "run processor");
}

static void processor_release(struct logdir *d)
{
	if (d->procdir >= 0)
		close(d->procdir);
	d->procdir = -1;
	d->procname[0] = 0;
}

int logproc_wanted(const struct logdir *d)
{
	return d->ok && d->conf.processor && !*d->set->stopping;
}

void logproc_give_up(struct logdir *d)
{
	d->proc_retry.tv_sec = 0;
	diag("warning", DIAG_NOERR, "processor failed, keep unprocessed: ",
	    d->name, "/", d->procname);
	processor_release(d);
}

/* Renames the processor's output into place; a failure is reported and
 * leaves @X.u where it is (nothing lost), never a pause: the directory may
 * be gone, and other directories must go on. */
static void processor_finished(struct logdir *d)
{
	char tname[LOG_NAMELEN], sname[LOG_NAMELEN];
	int fd;

	renamed(tname, d->procname, 't');
	renamed(sname, d->procname, 's');
	if (renameat(d->procdir, tname, d->procdir, sname) < 0) {
		diag("warning", errno, "unable to rename processed: ", d->name);
		return;
	}
	fd = logdir_open_own(d->procdir, sname, O_RDONLY, 0);
	if (fd < 0 || fchmod(fd, 0744) < 0)
		diag("warning", errno, "unable to set mode of processed: ", d->name);
	if (fd >= 0)
		close(fd);
	if (unlinkat(d->procdir, d->procname, 0) < 0 && errno != ENOENT)
		diag("warning", errno, "unable to unlink: ", d->name, "/", d->procname);
	if (renameat(d->procdir, "newstate", d->procdir, "state") < 0)
		diag("warning", errno, "unable to rename state: ", d->name);
	if (d->set->verbose)
		diag("info", DIAG_NOERR, "processed: ", d->name, "/", sname);
}

static void processor_done(struct logdir *d, int status)
{
	d->procpid = 0;
	/* runit counts a processor killed by a signal as done, and deletes
	 * its input: here it failed, and its input is kept */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char tname[LOG_NAMELEN];
		renamed(tname, d->procname, 't');
		unlinkat(d->procdir, tname, 0);
		if (!logproc_wanted(d)) {
			logproc_give_up(d);
		} else {
			unsigned wait = d->procfails < 6 ? 1u << d->procfails : LOGPROC_RETRY_MAX;
			diag("warning", DIAG_NOERR, "processor failed, restart: ", d->name);
			d->procfails++;
			logdir_mono_now(&d->proc_retry);
			d->proc_retry.tv_sec += (time_t)wait;
		}
		return;
	}
	d->procfails = 0;
	processor_finished(d);
	processor_release(d);
	if (d->rotate_wanted)
		logdir_rotate(d);
}

void logproc_wait(struct logdir *d)
{
	int status;
	pid_t r;

	while (d->procpid) {
		r = waitpid(d->procpid, &status, 0);
		if (r == d->procpid)
			processor_done(d, status);
		else if (r < 0 && errno != EINTR) {
			d->procpid = 0;
			processor_release(d);
		}
	}
}

void logset_reap(struct logset *set)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (int i = 0; i < set->n; i++)
			if (set->dir[i].procpid == pid)
				processor_done(&set->dir[i], status);
}

void logproc_finish_handovers(struct logdir *d)
{
	DIR *dp;
	struct dirent *e;
	struct stat st;
	int fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || !(dp = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(dp))) {
		char uname[LOG_NAMELEN];
		if (!logdir_is_logname(e->d_name) || e->d_name[LOG_NAMELEN - 2] != 's')
			continue;
		renamed(uname, e->d_name, 'u');
		if (fstatat(d->fd, uname, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		diag("warning", DIAG_NOERR, "processed before a kill, finish: ", d->name, "/", e->d_name);
		if (unlinkat(d->fd, uname, 0) < 0 && errno != ENOENT)
			diag("warning", errno, "unable to unlink: ", d->name, "/", uname);
		if (renameat(d->fd, "newstate", d->fd, "state") < 0 && errno != ENOENT)
			diag("warning", errno, "unable to rename state: ", d->name);
	}
	closedir(dp);
}
