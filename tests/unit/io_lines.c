/* Unit tests for io.c's lines_read: lines through a small buffer, long ones skipped, early stop. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "io.h"
#include "tap.h"

struct seen {
	char text[512];
	size_t len;
	int lines, stop_at;
};

static int collect(const char *line, size_t len, void *ctx)
{
	struct seen *s = ctx;

	memcpy(s->text + s->len, line, len);
	s->len += len;
	s->text[s->len++] = '|';
	s->text[s->len] = 0;
	return ++s->lines == s->stop_at ? 7 : 0;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

int main(void)
{
	char path[] = "/tmp/rng-lines.XXXXXX", buf[8];
	struct seen s;
	int fd = mkstemp(path);

	close(fd);
	put(path, "ab\ncdefg\n\nxyz");
	memset(&s, 0, sizeof s);
	ok(lines_read(path, buf, sizeof buf, collect, &s) == 0, "whole file: 0");
	is_str(s.text, "ab|cdefg||xyz|", "every line, the last without a newline too");

	put(path, "ab\n0123456789abc\ncd\n");
	memset(&s, 0, sizeof s);
	ok(lines_read(path, buf, sizeof buf, collect, &s) == 0, "with a long line: 0");
	is_str(s.text, "ab|cd|", "a line longer than the buffer is skipped whole");

	put(path, "0123456789abcdefghij");
	memset(&s, 0, sizeof s);
	ok(lines_read(path, buf, sizeof buf, collect, &s) == 0 && s.lines == 0,
	    "a long unterminated last line is skipped too");

	put(path, "1\n2\n3\n4\n");
	memset(&s, 0, sizeof s);
	s.stop_at = 2;
	ok(lines_read(path, buf, sizeof buf, collect, &s) == 7, "the callback's nonzero is returned");
	is_str(s.text, "1|2|", "and nothing after it is read");

	put(path, "");
	memset(&s, 0, sizeof s);
	ok(lines_read(path, buf, sizeof buf, collect, &s) == 0 && s.lines == 0, "empty file");
	unlink(path);
	ok(lines_read(path, buf, sizeof buf, collect, &s) == -1 && errno == ENOENT, "missing: -1 ENOENT");
	return done_testing();
}
