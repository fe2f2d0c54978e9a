/* runsvchdir.c: points the "current" services-directory symlink at another directory, keeping the old one as "previous". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"

#ifndef RUNSVCHDIR_BASE
#define RUNSVCHDIR_BASE "/etc/runit/runsvdir"
#endif

/* Success lines always carry the program's own name, whatever argv[0] says. */
static void say(const char *dir, const char *what)
{
	char line[4096];
	int n = snprintf(line, sizeof line, "runsvchdir: %s: %s\n", dir, what);

	if (n < 0 || (size_t)n >= sizeof line ||
	    write_all(1, line, (size_t)n) < 0)
		die(111, errno, "unable to write to stdout");
}

static void unlink_if_there(const char *path)
{
	if (unlink(path) < 0 && errno != ENOENT)
		die(111, errno, "unable to unlink: ", path);
}

int main(int argc, char **argv)
{
	const char *base = getenv("RUNSVDIR");
	const char *dir;
	struct stat want, cur;
	int moved;

	diag_prefix = argc > 0 ? argv[0] : "runsvchdir";
	if (argc < 2)
		die_usage(1, diag_prefix, "dir");
	dir = argv[1];
	if (!base || !*base)
		base = RUNSVCHDIR_BASE;
	if (dir[0] == '.')
		die(111, DIAG_NOERR, dir, ": must not start with a dot.");
	if (chdir(base) < 0)
		die(111, errno, "unable to chdir: ", base);
	if (stat(dir, &want) < 0) {
		if (errno == ENOENT)
			die(111, DIAG_NOERR, dir, ": file does not exist");
		die(111, errno, "unable to stat: ", dir);
	}
	if (!S_ISDIR(want.st_mode))
		die(111, DIAG_NOERR, dir, "not a directory.");
	if (stat("current", &cur) < 0)
		die(111, errno, "unable to stat: current");
	if (cur.st_dev == want.st_dev && cur.st_ino == want.st_ino) {
		say(dir, "current.");
		return 0;
	}
	/* Build the new link beside the old one, then swap by rename so that
	 * "current" never disappears for a runsvdir watching it. */
	unlink_if_there("current.new");
	if (symlink(dir, "current.new") < 0)
		die(111, errno, "unable to create: current.new -> ", dir);
	unlink_if_there("previous");
	/* runit renames current away first, leaving an instant with no
	 * "current" at all; a second name for the old link (a hard link to the
	 * symlink itself) lets the final rename replace it atomically. Only when
	 * that is impossible (current is a real directory) do we move it. */
	moved = linkat(AT_FDCWD, "current", AT_FDCWD, "previous", 0) < 0;
	if (moved && rename("current", "previous") < 0)
		die(111, errno, "unable to copy: current to previous");
	if (rename("current.new", "current") < 0) {
		diag("fatal", errno, "unable to move: current.new to current");
		if (moved && rename("previous", "current") < 0)
			die(111, errno, "unable to move previous back to current");
		_exit(111);
	}
	say(dir, "now current.");
	return 0;
}
