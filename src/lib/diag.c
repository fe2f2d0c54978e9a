/* diag.c: formats and writes diagnostics to stderr in one write each. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "errstr.h"
#include "io.h"
#include "version.h"

const char *diag_prefix;
void (*diag_hook)(const char *line, unsigned long len);

struct line {
	char buf[1024];
	size_t len;
};

/* A line longer than the buffer is cut; diagnostics are never that long in practice. */
static void put(struct line *l, const char *s)
{
	size_t n = strlen(s);
	if (n > sizeof l->buf - 1 - l->len)
		n = sizeof l->buf - 1 - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void emit(struct line *l)
{
	l->buf[l->len++] = '\n';
	(void)write_all(2, l->buf, l->len);
	if (diag_hook)
		diag_hook(l->buf, l->len);
}

static void vformat(struct line *l, const char *level, int err, va_list ap)
{
	const char *s;

	l->len = 0;
	if (diag_prefix) {
		put(l, diag_prefix);
		put(l, ": ");
	}
	if (level) {
		put(l, level);
		put(l, ": ");
	}
	while ((s = va_arg(ap, const char *)))
		put(l, s);
	if (err != DIAG_NOERR) {
		put(l, ": ");
		put(l, errstr(err));
	}
}

void diag_(const char *level, int err, ...)
{
	struct line l;
	va_list ap;
	int saved = errno;

	va_start(ap, err);
	vformat(&l, level, err, ap);
	va_end(ap);
	emit(&l);
	errno = saved;
}

void die_(int code, int err, ...)
{
	struct line l;
	va_list ap;

	va_start(ap, err);
	vformat(&l, "fatal", err, ap);
	va_end(ap);
	emit(&l);
	_exit(code);
}

void die_usage(int code, const char *prog, const char *text)
{
	struct line l = { .len = 0 };

	put(&l, "usage: ");
	put(&l, prog);
	put(&l, " ");
	put(&l, text);
	put(&l, "\n");
	emit(&l);
	_exit(code);
}

void print_version(void)
{
	struct line l = { .len = 0 };

	put(&l, RNG_VERSION);
	emit(&l);
}

const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}
