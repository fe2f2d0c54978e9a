/* procscan.c: the live processes of a given name, found through /proc (runit's ordered stop of every runsv). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "procscan.h"

/* 1 when /proc/PID/stat names a live process called name. */
static int is_named(const char *pid, const char *name)
{
	char path[64], buf[512], *open_paren, *close_paren;
	size_t n = strlen(name);
	ssize_t len;

	if (strlen(pid) > 20)
		return 0;
	strcpy(path, "/proc/");
	strcat(path, pid);
	strcat(path, "/stat");
	len = read_string_at(AT_FDCWD, path, buf, sizeof buf);
	if (len <= 0)
		return 0;
	/* "PID (COMM) STATE ...": COMM may hold anything, even ") " */
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren[1] != ' ' || !close_paren[2])
		return 0;
	if ((size_t)(close_paren - open_paren - 1) != n || memcmp(open_paren + 1, name, n))
		return 0;
	return !strchr("ZXx", close_paren[2]);
}

int procscan_named(const char *name, int sig)
{
	pid_t self = getpid();
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int count = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		const char *p = d->d_name;
		long pid = 0;

		for (; *p >= '0' && *p <= '9' && pid < 1L << 30; p++)
			pid = pid * 10 + (*p - '0');
		if (*p || !pid || pid == self || !is_named(d->d_name, name))
			continue;
		if (sig)
			(void)kill((pid_t)pid, sig);
		count++;
	}
	closedir(dir);
	return count;
}
