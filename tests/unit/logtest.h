/* logtest.h: what the unit tests of svlogd's directory units share: a scratch directory, files in it, stderr captured, the batch write. */
#ifndef RNG_LOGTEST_H
#define RNG_LOGTEST_H
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "logdir.h"
#include "tap.h"

static char top[] = "/tmp/logtest.XXXXXX";
static char errtext[8192];
static int errfd = -1, saved_err = -1;
static int batches;

/* svlogd's batch write, without a journal */
static void write_batch(struct logdir *d)
{
	must(write_all(d->curfd, d->obuf, d->olen));
	d->size += d->olen;
	d->olen = 0;
	batches++;
}

/* stderr into errtext from here to quiet_end */
static void quiet(void)
{
	char tmpl[] = "/tmp/logdir-err.XXXXXX";

	fflush(stderr);
	errfd = mkstemp(tmpl);
	saved_err = dup(2);
	must(errfd);
	must(saved_err);
	unlink(tmpl);
	must(dup2(errfd, 2));
}

static void quiet_end(void)
{
	ssize_t n;

	must(dup2(saved_err, 2));
	close(saved_err);
	n = pread(errfd, errtext, sizeof errtext - 1, 0);
	errtext[n > 0 ? n : 0] = 0;
	close(errfd);
}

/* A check on what was printed: the text on stderr when it fails. */
#define said(cond, name)                                               \
	do {                                                           \
		ok((cond), "%s", (name));                              \
		if (!(cond))                                           \
			tap_diag("stderr was: %s", errtext);           \
	} while (0)

static void put_file(const char *dir, const char *name, const char *text, mode_t mode)
{
	char path[512];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	must(fd);
	must(write_all(fd, text, strlen(text)));
	must(fchmod(fd, mode));
	close(fd);
}

/* The @ files in dir (by state letter: 0 for any), and the oldest's name. */
static int count_old(const char *dir, char state, char oldest[LOG_NAMELEN])
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (oldest)
		oldest[0] = 0;
	if (!dp)
		return -1;
	while ((e = readdir(dp)))
		if (logdir_is_logname(e->d_name) && (!state || e->d_name[26] == state)) {
			n++;
			if (oldest && (!oldest[0] || strcmp(e->d_name, oldest) < 0))
				memcpy(oldest, e->d_name, LOG_NAMELEN);
		}
	closedir(dp);
	return n;
}

static char *read_at(const char *dir, const char *name)
{
	static char buf[4096];
	char path[512];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
	return buf;
}

/* The scratch directory, top; 0 if it cannot be made (a failed test). */
static int logtest_begin(void)
{
	if (mkdtemp(top))
		return 1;
	ok(0, "mkdtemp");
	return 0;
}

/* Removes top when every test passed; keeps it, and says where, if not. */
static void logtest_end(void)
{
	if (!tap_failed) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
		must(system(cmd));
	} else
		tap_diag("files kept in %s", top);
}

#endif
