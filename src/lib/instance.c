/* instance.c: templated service directories: NAME@ is a template, never started; NAME@INST an instance of it. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "instance.h"
#include "svfile.h"

int instance_is_template(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && name[n - 1] == '@';
}

size_t instance_split(const char *name, const char **inst)
{
	const char *at = strrchr(name, '@');

	if (!at || !at[1])
		return 0;
	*inst = at + 1;
	return (size_t)(at - name) + 1;
}

void instance_basename(const char *path, char out[INSTANCE_NAME_MAX])
{
	size_t end = strlen(path), start;

	while (end > 0 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	out[0] = 0;
	if (end - start >= INSTANCE_NAME_MAX || (end - start == 1 && path[start] == '.') ||
	    (end - start == 2 && !memcmp(path + start, "..", 2)))
		return;
	memcpy(out, path + start, end - start);
	out[end - start] = 0;
}

/* The template's name from where the `template` link leads. */
static void link_name(struct instance *out)
{
	char target[INSTANCE_NAME_MAX * 4];
	ssize_t n = readlink(INSTANCE_LINK, target, sizeof target - 1);

	out->name[0] = 0;
	if (n <= 0)
		return;
	target[n] = 0;
	instance_basename(target, out->name);
}

int instance_find(const char *name, struct instance *out)
{
	const char *inst;
	size_t n = instance_split(name, &inst);
	struct stat st;

	out->fd = -1;
	if (!n || n >= INSTANCE_NAME_MAX)
		return 0;
	memcpy(out->name, name, n);
	out->name[n] = 0;
	strcpy(out->inst, inst);
	if (lstat(INSTANCE_LINK, &st) == 0) {
		strcpy(out->path, INSTANCE_LINK);
		link_name(out);
	} else {
		if (errno != ENOENT)
			return -1;
		strcpy(out->path, "../");
		strcat(out->path, out->name);
		if (stat(out->path, &st) < 0)
			return errno == ENOENT ? 0 : -1;
	}
	out->fd = open(out->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return out->fd < 0 ? -1 : 1;
}

void instance_enter(const char *name, struct instance *here)
{
	char base[INSTANCE_NAME_MAX], cwd[4096];
	const char *inst;

	if (here->fd > 0) { /* zeroed storage: 0 until the first instance */
		svfile_fallback_drop(AT_FDCWD);
		close(here->fd);
		here->fd = 0;
	}
	instance_basename(name, base);
	if (!base[0] && getcwd(cwd, sizeof cwd))
		instance_basename(cwd, base);
	if (!instance_split(base, &inst) || instance_find(base, here) != 1) {
		here->fd = 0;
		return;
	}
	if (svfile_fallback(AT_FDCWD, here->fd, here->path) < 0) {
		close(here->fd);
		here->fd = 0;
	}
}
