/* Unit tests for pgrp.c: /proc/N/stat lines, and a group whose only member left is a zombie. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pgrp.h"
#include "tap.h"

static int parse(const char *line, char *st, pid_t *g)
{
	return pgrp_stat_parse(line, strlen(line), st, g);
}

int main(void)
{
	char st = 0;
	pid_t g = 0, leader, member;
	int w, p[2];

	ok(parse("123 (sleep) S 1 123 123 0 -1", &st, &g) && st == 'S' && g == 123, "a plain line");
	ok(parse("9 (a) b) Z 7 42 42 0", &st, &g) && st == 'Z' && g == 42, "a name with ') ' in it");
	ok(parse("9 (x) R 7 4194304 1", &st, &g) && g == 4194304, "a large group");
	ok(!parse("9 (x) R 7", &st, &g), "too short");
	ok(!parse("9 x R 7 1", &st, &g), "no name");

	/* A group leader that ends, reaped; a member that ends, not reaped yet. */
	if (pipe(p) < 0)
		return 1;
	leader = fork();
	if (leader == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(leader, leader);
	ok(pgrp_alive(leader) == 1, "a running leader: alive");
	member = fork();
	if (member == 0) {
		setpgid(0, leader);
		close(p[1]);
		char c;
		/* the end of the pipe, or an error: either way this member exits */
		_exit(read(p[0], &c, 1) < 0);
	}
	setpgid(member, leader);
	kill(leader, SIGKILL);
	waitpid(leader, &w, 0);
	ok(pgrp_alive(leader) == 1, "the leader gone, a member runs: alive");
	close(p[1]); /* the member exits, a zombie until waited for */
	for (int i = 0; i < 200 && pgrp_alive(leader) == 1; i++)
		usleep(10000);
	ok(kill(-leader, 0) == 0, "kill(-pgrp, 0) still finds the zombie");
	ok(pgrp_alive(leader) == 0, "pgrp_alive does not count it");
	waitpid(member, &w, 0);
	ok(pgrp_alive(leader) == 0, "reaped: none at all");
	return done_testing();
}
