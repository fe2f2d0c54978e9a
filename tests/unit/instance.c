/* Unit tests for instance.c (template and instance names, finding the template) and svfile's fallback to it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "instance.h"
#include "svfile.h"
#include "tap.h"

static void put(const char *path, const char *data)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(data, f) < 0 || fclose(f) != 0)
		perror(path);
}

static int split_is(const char *name, size_t want, const char *want_inst)
{
	const char *inst = 0;
	size_t n = instance_split(name, &inst);

	return n == want && (!want || !strcmp(inst, want_inst));
}

static int base_is(const char *path, const char *want)
{
	char out[INSTANCE_NAME_MAX];

	instance_basename(path, out);
	return !strcmp(out, want);
}

int main(void)
{
	char dir[] = "/tmp/rng-instance.XXXXXX", value[SVFILE_VALUE_MAX + 1], top[4096];
	struct instance in;
	struct stat st;
	const char *why;
	unsigned long ms;
	int fd;

	ok(instance_is_template("getty@"), "getty@ is a template");
	ok(!instance_is_template("getty@tty1") && !instance_is_template("getty") && !instance_is_template(""),
	    "getty@tty1, getty and nothing are not");
	ok(split_is("getty@tty1", 6, "tty1"), "getty@tty1: getty@ and tty1");
	ok(split_is("a@b@c", 4, "c"), "the last @ counts");
	ok(split_is("@x", 1, "x"), "@x: the template @");
	ok(split_is("getty@", 0, 0) && split_is("getty", 0, 0), "no instance without INST or @");
	ok(base_is("/etc/service/getty@tty1/", "getty@tty1") && base_is("getty@tty1", "getty@tty1"),
	    "base names");
	ok(base_is(".", "") && base_is("/", "") && base_is("a/..", ""), "no base name in . / ..");

	if (!mkdtemp(dir) || !getcwd(top, sizeof top) || chdir(dir) < 0)
		return perror(dir), 1;
	mkdir("w@", 0755);
	mkdir("w@1", 0755);
	mkdir("w@2", 0755);
	mkdir("other", 0755);
	put("w@/timeout-kill", "300\n");
	put("w@/down-signal", "HUP\n");
	put("w@2/down-signal", "QUIT\n");
	put("other/timeout-kill", "700\n");

	if (chdir("w@1") < 0)
		return perror("w@1"), 1;
	ok(instance_find("w@1", &in) == 1 && !strcmp(in.name, "w@") && !strcmp(in.inst, "1") &&
	    !strcmp(in.path, "../w@") && in.fd >= 0, "w@1 finds ../w@");
	ok(svfile_read_ms(AT_FDCWD, "timeout-kill", &ms, &why) == SVFILE_ABSENT, "no fallback before it is set");
	ok(svfile_fallback(AT_FDCWD, in.fd, in.path) == 0, "fallback set");
	ok(svfile_read_ms(AT_FDCWD, "timeout-kill", &ms, &why) == SVFILE_OK && ms == 300,
	    "the instance reads the template's timeout-kill");
	put("timeout-kill", "5\n");
	ok(svfile_read_ms(AT_FDCWD, "timeout-kill", &ms, &why) == SVFILE_OK && ms == 5, "its own file wins");
	ok(svfile_stat(AT_FDCWD, "down-signal", &st) == 0, "svfile_stat finds the template's file");
	ok(svfile_read(AT_FDCWD, "nothing", value, &why) == SVFILE_ABSENT, "absent in both: absent");
	chmod("timeout-kill", 0);
	if (geteuid() != 0) {
		fd = svfile_open(AT_FDCWD, "timeout-kill", O_RDONLY);
		ok(fd < 0 && errno == EACCES, "an unreadable own file is not replaced by the template's");
	} else {
		ok(1, "# skip root reads any file");
	}
	ok(svfile_fallback(5, 6, "x") == 0 && svfile_fallback(7, 8, "y") < 0 && errno == ENOSPC,
	    "at most two fallbacks");

	if (chdir("../w@2") < 0 || symlink("../other", "template") < 0)
		return perror("w@2"), 1;
	close(in.fd);
	ok(instance_find("w@2", &in) == 1 && !strcmp(in.path, "template") && !strcmp(in.name, "other"),
	    "a template link wins over the directory beside");
	close(in.fd);
	unlink("template");
	must(symlink("../nowhere", "template"));
	ok(instance_find("w@2", &in) == -1, "a dangling template link is an error");
	unlink("template");
	ok(instance_find("plain", &in) == 0, "a plain name: not an instance");
	ok(instance_find("x@1", &in) == 0, "no template beside: a service like any other");

	if (chdir(top) < 0)
		return 1;
	{
		char cmd[sizeof dir + 16];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			perror(cmd);
	}
	return done_testing();
}
