/* instance.h: templated service directories: NAME@ is a template, never started; NAME@INST an instance of it. */
#ifndef RNG_INSTANCE_H
#define RNG_INSTANCE_H
#include <stddef.h>

/*
 * A directory named NAME@ (getty@) in a scan directory is a template:
 * runsvdir starts no runsv for it. A directory named NAME@INST
 * (getty@tty1) is an instance: its runsv takes each service file the
 * instance lacks from the template, found as a `template` symlink inside
 * the instance, else as the directory NAME@ beside it (svfile.h's
 * svfile_fallback does the taking). Its supervise/ stays its own.
 */
#define INSTANCE_NAME_MAX 256 /* a directory name, with its NUL */
#define INSTANCE_LINK "template"
#define INSTANCE_ENV "INSTANCE"

/* Does this scan-directory entry name a template? */
int instance_is_template(const char *name);

/* NAME@INST: the length of NAME@ (1 or more), *inst pointing at INST
 * inside name; 0 for any other name (no @, or nothing after the last @).
 * The last @ counts, so that a@b@c is an instance c of the template a@b@. */
size_t instance_split(const char *name, const char **inst);

/* The last component of a path as runsv was given it ("/etc/service/getty@tty1/"
 * gives getty@tty1), copied into out; "" when there is none ("/", "."). */
void instance_basename(const char *path, char out[INSTANCE_NAME_MAX]);

struct instance {
	char name[INSTANCE_NAME_MAX];     /* the template's name, getty@ */
	char inst[INSTANCE_NAME_MAX];     /* tty1 */
	char path[INSTANCE_NAME_MAX + 3]; /* the template, relative to the
	                                   * instance: "template" or "../getty@" */
	int fd;                           /* the template's directory */
};

/*
 * Looks for the template of the instance named name, from the instance's
 * directory (the current one). 1 found (out filled, out->fd open,
 * close-on-exec); 0 not an instance or no template (a service directory
 * like any other); -1 when `template` is there but is no directory, or
 * the template cannot be opened (errno says why).
 */
int instance_find(const char *name, struct instance *out);

/* For a program that visits services one after another (sv, for ./check):
 * just changed into the service directory named name (as given: the last
 * component counts, or the current directory's name), makes its template,
 * if it is an instance, the fallback of AT_FDCWD in svfile.h's calls, in
 * place of the previous service's. here is the caller's, zeroed at first,
 * and the same at every call. */
void instance_enter(const char *name, struct instance *here);
#endif
