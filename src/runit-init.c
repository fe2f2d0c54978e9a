/* runit-init.c: the /sbin/init front end: execs runit as process no. 1, otherwise turns "init 0|6" into a stop-it/reboot request. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "runitpaths.h"

extern char **environ;

static void usage(const char *prog)
{
	die_usage(0, prog, "0|6"); /* 0, not an error: runit's init always did so */
}

/* Creates (or truncates) path and leaves it with mode 0100: "owner-executable" is the request. */
static void request_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0644);

	if (fd < 0)
		die(111, errno, "unable to create ", path);
	close_fd(fd);
	if (chmod(path, 0100) < 0)
		die(111, errno, "unable to chmod ", path);
}

int main(int argc, char **argv)
{
	const char *prog = argc > 0 ? argv[0] : "init";
	char *runit_argv[] = { "runit", 0 };

	diag_prefix = "init";
	if (getpid() == 1) {
		execve(RUNIT_BINARY, runit_argv, environ);
		die(111, errno, "unable to start runit");
	}
	if (argc < 2 || !argv[1][0])
		usage(prog);
	switch (argv[1][0]) {
	case '0':
		request_file(RUNIT_STOPIT);
		if (chmod(RUNIT_REBOOT, 0) < 0 && errno != ENOENT)
			die(111, errno, "unable to chmod ", RUNIT_REBOOT);
		break;
	case '6':
		request_file(RUNIT_STOPIT);
		request_file(RUNIT_REBOOT);
		break;
	default:
		if (argv[1][0] == '-' && argv[1][1] == 'V') {
			print_version();
			(void)write_all(2, "\n", 1);
		}
		usage(prog);
	}
	/* Not checked: as in runit, the request files are the message, the signal only a nudge. */
	kill(1, SIGCONT);
	return 0;
}
