/* diag.h: one-line diagnostics in runit's "PREFIX: LEVEL: PARTS: ERRTEXT" shape. */
#ifndef RNG_DIAG_H
#define RNG_DIAG_H

#define DIAG_NOERR (-1) /* pass as err when no errno text is wanted */

/* Printed before ": LEVEL: ", e.g. "runsv svc" or "chpst"; NULL prints no prefix. */
extern const char *diag_prefix;

/* Called with every complete line written (runsvdir mirrors them into its title). */
extern void (*diag_hook)(const char *line, unsigned long len);

/* Parts are strings, terminated by a null pointer (the macros add it). */
void diag_(const char *level, int err, ...);
_Noreturn void die_(int code, int err, ...);

#define diag(level, err, ...) diag_((level), (err), __VA_ARGS__, (const char *)0)
#define warn(err, ...) diag_("warning", (err), __VA_ARGS__, (const char *)0)
#define die(code, err, ...) die_((code), (err), __VA_ARGS__, (const char *)0)

/* "usage: PROG TEXT\n\n" to stderr, then exit(code); text has no trailing newline. */
_Noreturn void die_usage(int code, const char *prog, const char *text);

/* Prints VERSION on a line of its own to stderr (the -V option). */
void print_version(void);

/* Text after the last '/' of path. */
const char *base_name(const char *path);

#endif
