/* Unit tests for io.c's lines_read (lines through a small buffer, long ones skipped, early stop) and read_file. */
#include <errno.h>
#include <fcntl.h>
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

	{
		char small[21];
		int pfd[2];

		put(path, "01234567890123456789");
		fd = open(path, O_RDONLY);
		ok(read_file(fd, small, sizeof small) == 20, "read_file: a file shorter than asked, whole");
		close(fd);
		put(path, "0123456789012345678901234");
		fd = open(path, O_RDONLY);
		ok(read_file(fd, small, sizeof small) == 21 && !memcmp(small, "012345678901234567890", 21),
		    "read_file: a longer one, as much as asked");
		close(fd);
		put(path, "");
		fd = open(path, O_RDONLY);
		ok(read_file(fd, small, sizeof small) == 0, "read_file: an empty file");
		close(fd);
		unlink(path);
		ok(pipe(pfd) == 0 && write(pfd[1], "ab", 2) == 2 && write(pfd[1], "cd", 2) == 2,
		    "a pipe with two writes in it");
		close(pfd[1]);
		ok(read_file(pfd[0], small, sizeof small) == 4, "read_file: all that is there, then the end");
		ok(read_file(-1, small, sizeof small) == -1 && errno == EBADF, "read_file: an error is -1");
		close(pfd[0]);
	}
	return done_testing();
}
