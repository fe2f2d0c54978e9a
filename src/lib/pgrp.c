/* pgrp.c: is a process group still alive, zombies not counted (kill-tree by process group). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "io.h"
#include "pgrp.h"

int pgrp_stat_parse(const char *line, size_t len, char *state, pid_t *pgrp)
{
	const char *p = line, *end = line + len, *paren = 0;
	unsigned long v = 0;
	int field;

	/* The command name may hold anything, ')' included: the last one ends it. */
	for (; p < end; p++)
		if (*p == ')')
			paren = p;
	if (!paren || end - paren < 4 || paren[1] != ' ')
		return 0;
	*state = paren[2];
	/* state ppid pgrp: the pgrp is the third field after the name. */
	p = paren + 3;
	for (field = 0; field < 2; field++) {
		if (p >= end || *p != ' ')
			return 0;
		p++;
		if (field == 0)
			while (p < end && *p != ' ')
				p++;
	}
	if (p >= end || *p < '0' || *p > '9')
		return 0;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > INT32_MAX)
			return 0;
	}
	*pgrp = (pid_t)v;
	return 1;
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Is /proc/NAME a live member of pgrp? */
static int live_member(int procfd, const char *name, pid_t pgrp)
{
	char path[32], buf[512], state;
	pid_t g;
	ssize_t n;
	int fd;

	if (name[0] < '1' || name[0] > '9' || strlen(name) > 12)
		return 0;
	strcpy(path, name);
	strcat(path, "/stat");
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* gone meanwhile */
	n = read_intr(fd, buf, sizeof buf);
	close(fd);
	if (n <= 0 || !pgrp_stat_parse(buf, (size_t)n, &state, &g))
		return 0;
	return g == pgrp && state != 'Z' && state != 'X';
}

int pgrp_alive(pid_t pgrp)
{
	union {
		uint64_t align;
		char b[4096];
	} buf;
	long n, off;
	int procfd, found = 0;

	if (kill(-pgrp, 0) < 0 && errno == ESRCH)
		return 0;
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -1;
	while (!found && (n = syscall(SYS_getdents64, procfd, buf.b, sizeof buf.b)) > 0)
		for (off = 0; off < n && !found;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf.b + off);
			off += d->d_reclen;
			found = live_member(procfd, d->d_name, pgrp);
		}
	close(procfd);
	if (!found && n < 0)
		return -1;
	return found;
}
