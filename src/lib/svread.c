/* svread.c: one read of a supervised slot, quiet: liveness, the status record, the down file, want exit, and the supervise/info that matches. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control.h"
#include "diag.h"
#include "errstr.h"
#include "io.h"
#include "svread.h"

int svread_error(struct svread *r, const char *what, int err, int result)
{
	size_t n = strlen(what);

	if (n >= sizeof r->error)
		n = sizeof r->error - 1;
	memcpy(r->error, what, n);
	r->error[n] = 0;
	if (err != DIAG_NOERR) {
		strncat(r->error, ": ", sizeof r->error - strlen(r->error) - 1);
		strncat(r->error, errstr(err), sizeof r->error - strlen(r->error) - 1);
	}
	r->slot.error = r->error;
	r->fail = result == 0;
	return r->result = result;
}

/* runsv writes info, then status: an info that does not match the record
 * but is not older than it belongs to a record about to replace this one. */
int svread_info_ahead(const struct svinfo *info, const struct sv_status *st)
{
	return !tain_less(&info->since, &st->stamp) && !svinfo_same_moment(info, st);
}

/* runsv renames status into place microseconds after info: only an info
 * written about now can have a record on its way. One stamped far from
 * now (the clock stepped back under a runsv that keeps writing info
 * ahead, or an info left behind) will not settle: nothing is waited for. */
static int info_fresh(const struct svinfo *info)
{
	struct tain now;

	tain_now(&now);
	return info->since.sec + 2 > now.sec && info->since.sec < now.sec + 2;
}

/* "want exit" exists only in supervise/stat: the record says 'd' for it. */
static int stat_wants_exit(void)
{
	char line[STAT_LINE_MAX];

	return read_string_at(AT_FDCWD, "supervise/stat", line, sizeof line) > 0 &&
	    strstr(line, ", want exit") != 0;
}

int svread_slot(struct svread *r, const char *name)
{
	struct sv_status *st = &r->slot.st;
	struct stat sb;
	int n, fd;

	memset(&r->slot, 0, sizeof r->slot);
	r->slot.name = name;
	r->due = 0;
	n = supervise_alive("supervise/ok");
	if (n == 0)
		return svread_error(r, "runsv not running", DIAG_NOERR, 0);
	if (n < 0)
		return svread_error(r, "unable to open supervise/ok", errno, -1);
	fd = open("supervise/status", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return svread_error(r, "unable to open supervise/status", errno, -1);
	n = status_read_fd(fd, st);
	if (n < 0)
		svread_error(r, "unable to read supervise/status", errno, -1);
	close_fd(fd);
	if (n > 0)
		svread_error(r, "unable to read supervise/status: bad format", DIAG_NOERR, -1);
	if (n != 0)
		return -1;
	if (svinfo_read_at(AT_FDCWD, "supervise/" SVINFO_FILE, &r->info) == 0) {
		if (svinfo_matches(&r->info, st))
			r->slot.info = &r->info;
		else
			r->due = svread_info_ahead(&r->info, st) && info_fresh(&r->info);
	}
	r->slot.normally_up = 0;
	if (stat("down", &sb) < 0) {
		r->slot.normally_up = errno == ENOENT ? 1 : -1;
		if (errno != ENOENT)
			diag("warning", errno, "unable to stat ", name, "/down");
	}
	r->slot.want_exit = st->want == 'd' && st->state != SV_DOWN && stat_wants_exit();
	return r->result = 1;
}
