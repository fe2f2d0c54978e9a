/* svout.c: sv's standard output: buffered, flushed where runit flushes, and runit's order for the lines of a service whose runsv may come back. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "grow.h"
#include "io.h"
#include "num.h"
#include "svout.h"

static int out_fd = 1;
static char outbuf[4096];
static size_t outlen;
static int out_gone; /* a write found no reader */

/* the lines held back while holds are taken */
static struct {
	char *buf;
	size_t len, cap;
	int holds;
	unsigned seq;
	struct svout_hold *list;
} held;

void svout_set_fd(int fd)
{
	out_fd = fd;
}

static void write_out(const char *s, size_t n)
{
	if (n && write_all(out_fd, s, n) < 0 && errno == EPIPE)
		out_gone = 1;
}

static void held_append(const char *s, size_t n)
{
	if (!n)
		return; /* nothing, and held.buf may be NULL still */
	if (grow(&held.buf, &held.cap, held.len + n, 1, 1024) < 0) {
		/* what cannot be held goes out in the wrong order, not lost */
		write_out(held.buf, held.len);
		held.len = 0;
		write_out(s, n);
		return;
	}
	memcpy(held.buf + held.len, s, n);
	held.len += n;
}

void svout_flush(void)
{
	if (held.holds) {
		held_append(outbuf, outlen);
	} else {
		write_out(held.buf, held.len);
		held.len = 0;
		write_out(outbuf, outlen);
	}
	outlen = 0;
}

void svout_flush_all(void)
{
	for (struct svout_hold *h = held.list; h; h = h->next)
		h->holding = 0;
	held.list = 0;
	held.holds = 0;
	svout_flush();
}

void svout_write(const char *s, size_t n)
{
	while (n) {
		size_t room = sizeof outbuf - outlen, k = n < room ? n : room;

		memcpy(outbuf + outlen, s, k);
		outlen += k;
		s += k;
		n -= k;
		if (outlen == sizeof outbuf)
			svout_flush();
	}
}

void svout_put(const char *s)
{
	svout_write(s, strlen(s));
}

void svout_ulong(unsigned long u)
{
	char num[FMT_ULONG];

	svout_write(num, fmt_ulong(num, u));
}

int svout_holds(void)
{
	return held.holds;
}

void svout_hold_begin(struct svout_hold *h)
{
	svout_flush();
	h->holding = 1;
	h->at = held.len;
	h->seq = ++held.seq;
	h->next = held.list;
	held.list = h;
	held.holds++;
}

static void reverse(char *p, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		char c = p[i];

		p[i] = p[n - 1 - i];
		p[n - 1 - i] = c;
	}
}

/* [a, b) then [b, c) becomes [b, c) then [a, b), in place */
static void rotate(char *a, size_t left, size_t right)
{
	reverse(a, left);
	reverse(a + left, right);
	reverse(a, left + right);
}

void svout_hold_end(struct svout_hold *h, void (*say)(void *ctx), void *ctx)
{
	size_t end, len;

	if (!h->holding) {
		if (say)
			say(ctx);
		return;
	}
	svout_flush();
	end = held.len;
	if (say)
		say(ctx);
	svout_flush();
	len = held.len - end;
	if (len) {
		rotate(held.buf + h->at, end - h->at, len);
		/* the holds after this place, or at it but taken later, move on */
		for (struct svout_hold *t = held.list; t; t = t->next)
			if (t != h && (t->at > h->at || (t->at == h->at && t->seq > h->seq)))
				t->at += len;
	}
	for (struct svout_hold **p = &held.list; *p; p = &(*p)->next)
		if (*p == h) {
			*p = h->next;
			break;
		}
	h->holding = 0;
	held.holds--;
	svout_flush();
}

struct pollfd svout_reader_pollfd(void)
{
	struct stat sb;

	return (struct pollfd){ fstat(out_fd, &sb) == 0 ? out_fd : -1, 0, 0 };
}

int svout_reader_gone(const struct pollfd *p)
{
	return out_gone || (p->revents & (POLLERR | POLLHUP));
}
