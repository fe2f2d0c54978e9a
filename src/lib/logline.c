/* logline.c: svlogd's line delivery: heads selected, stamped and prefixed into each directory's batch, bodies and ends after them, alerts to stderr and copies by UDP. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "io.h"
#include "logline.h"

void logline_init(struct logline *l, struct logset *set, struct lineasm *la,
    void (*commit)(uint64_t upto, int inbody, int eof))
{
	memset(l, 0, sizeof *l);
	l->set = set;
	l->la = la;
	l->commit = commit;
	l->replace_set = "";
	l->stamp_at.sec = UINT64_MAX; /* no stamp made yet */
}

/* The stamp for a line whose first byte arrived at t; one per read in practice. */
static const char *stamp_of(struct logline *l, const struct tain *t)
{
	if (t->sec != l->stamp_at.sec || t->nano != l->stamp_at.nano) {
		if (l->stamplevel == 1)
			tain_fmt_hex(l->stamp, t);
		else
			tain_fmt_date(l->stamp, t, l->stamplevel == 2 ? '_' : 'T');
		l->stamp[LOG_STAMP_LEN - 1] = ' ';
		l->stamp_at = *t;
	}
	return l->stamp;
}

/* stamp, prefix, head, "..." when cut, newline: for stderr and UDP. */
static size_t short_line(const struct logline *l, struct logdir *d, const char *st, const char *head,
    size_t hlen, int cut)
{
	char *p = d->abuf;

	if (l->stamplevel) {
		memcpy(p, st, LOG_STAMP_LEN);
		p += LOG_STAMP_LEN;
	}
	memcpy(p, d->conf.prefix, d->conf.prefixlen);
	p += d->conf.prefixlen;
	memcpy(p, head, hlen);
	p += hlen;
	if (cut) {
		memcpy(p, "...", 3);
		p += 3;
	}
	*p++ = '\n';
	return (size_t)(p - d->abuf);
}

static void put(struct logdir *d, const void *p, size_t n)
{
	memcpy(d->obuf + d->olen, p, n);
	d->olen += n;
}

static void send_udp(const struct logline *l, struct logdir *d, const char *st,
    const char *head, size_t hlen, int cut)
{
	size_t n = short_line(l, d, st, head, hlen, cut);
	ssize_t w = d->udpfd < 0 ? -1 :
	    sendto(d->udpfd, d->abuf, n, 0, (struct sockaddr *)&d->conf.udpaddr,
	    sizeof d->conf.udpaddr);
	const char *what = d->udpfd < 0 ? "warning: no udp socket available: " :
	    "warning: failure sending through udp: ";

	if (w != (ssize_t)n) {
		put(d, what, strlen(what));
		put(d, d->abuf, n);
	}
}

/*
 * The head of a line, at input [from, to). Each directory decides on it;
 * a directory whose batch lacks room, or whose current it would push past
 * its size, first has everything before the line written (and rotates), so
 * that batches and files end between lines. A directory whose current
 * holds the line already (recovery) only takes up its state.
 */
static void line_head(struct logline *l, const struct linepiece *pc, uint64_t from, uint64_t to)
{
	struct logset *set = l->set;
	const char *head = pc->p, *st = l->stamplevel ? stamp_of(l, &pc->first) : "";
	size_t hlen = pc->n;
	int cut = hlen >= set->linemax, flush = 0;

	if (l->replace_char) {
		for (size_t i = 0; i < hlen; i++) {
			unsigned char c = (unsigned char)head[i];
			l->headbuf[i] = c < 32 || c > 126 || strchr(l->replace_set, c) ?
			    l->replace_char : (char)c;
		}
		head = l->headbuf;
	}
	for (int i = 0; i < set->n; i++) {
		struct logdir *d = &set->dir[i];
		size_t out = (l->stamplevel ? LOG_STAMP_LEN : 0) + d->conf.prefixlen + hlen + 1 +
		    (d->conf.udpconf ? LOG_UDP_WARN_MAX + LOG_STAMP_LEN + d->conf.prefixlen + hlen + 4 : 0);

		if (!d->ok || to <= d->skip)
			continue;
		if (d->olen + out > d->ocap || (d->conf.sizemax && d->size + d->olen > 0 &&
		    d->size + d->olen + out > d->conf.sizemax))
			flush = 1;
	}
	if (flush) {
		l->commit(from, 0, 0);
		for (int i = 0; i < set->n; i++) {
			struct logdir *d = &set->dir[i];
			if (d->ok && to > d->skip && d->conf.sizemax && d->size + hlen +
			    d->conf.prefixlen + LOG_STAMP_LEN + 1 > d->conf.sizemax)
				logdir_rotate(d);
		}
	}
	for (int i = 0; i < set->n; i++) {
		struct logdir *d = &set->dir[i];
		int alert;

		if (!d->ok)
			continue;
		if (to <= d->skip) {
			d->sel = pc->ended ? 0 : d->skip_sel;
			continue;
		}
		d->sel = logconf_select(&d->conf, head, hlen, &alert);
		if (alert)
			(void)write_all(2, d->abuf, short_line(l, d, st, head, hlen, cut));
		if (!d->sel)
			continue;
		if (d->conf.udpconf)
			send_udp(l, d, st, head, hlen, cut);
		if (d->conf.udponly) {
			d->sel = 0;
			continue;
		}
		if (l->stamplevel)
			put(d, st, LOG_STAMP_LEN);
		put(d, d->conf.prefix, d->conf.prefixlen);
		put(d, head, hlen);
		if (pc->ended) {
			put(d, "\n", 1);
			d->sel = 0;
		}
	}
}

/* More of a line beyond its head, verbatim, at input from. */
static void line_body(struct logline *l, const char *p, size_t n, uint64_t from)
{
	struct logset *set = l->set;

	while (n) {
		size_t k = n;

		for (int i = 0; i < set->n; i++)
			if (set->dir[i].ok && set->dir[i].sel && set->dir[i].ocap - set->dir[i].olen < k)
				k = set->dir[i].ocap - set->dir[i].olen;
		if (!k) {
			l->commit(from, 1, 0);
			continue;
		}
		for (int i = 0; i < set->n; i++) {
			struct logdir *d = &set->dir[i];
			uint64_t skip = d->skip > from ? d->skip - from : 0;
			if (d->ok && d->sel && skip < k)
				put(d, p + skip, k - skip);
		}
		p += k;
		n -= k;
		from += k;
	}
}

/* The newline of a long line, at input from. */
static void line_end(struct logline *l, uint64_t from)
{
	struct logset *set = l->set;

	for (int i = 0; i < set->n; i++)
		if (set->dir[i].ok && set->dir[i].sel && set->dir[i].olen == set->dir[i].ocap)
			l->commit(from, 1, 0);
	for (int i = 0; i < set->n; i++) {
		struct logdir *d = &set->dir[i];
		if (!d->ok || !d->sel)
			continue;
		if (from >= d->skip)
			put(d, "\n", 1);
		d->sel = 0;
	}
}

static void deliver(struct logline *l, int kind, const struct linepiece *pc, uint64_t from,
    uint64_t to)
{
	if (kind == LINE_HEAD)
		line_head(l, pc, from, to);
	else if (kind == LINE_BODY)
		line_body(l, pc->p, pc->n, from);
	else
		line_end(l, from);
}

size_t logline_feed(struct logline *l, uint64_t inpos, const char *in, size_t n,
    const struct tain *now)
{
	struct linepiece pc;
	struct tain t;
	size_t pos = 0, from = 0, before;
	int kind;

	/* a head completed here began before in, by the bytes held */
	(void)lineasm_held(l->la, &before, &t);
	while ((kind = lineasm_next(l->la, in, n, &pos, now, &pc)) != LINE_MORE) {
		deliver(l, kind, &pc, inpos + from - before, inpos + pos);
		from = pos;
		before = 0;
	}
	return from;
}

void logline_finish(struct logline *l, uint64_t inpos)
{
	struct linepiece pc;
	int kind;

	while ((kind = lineasm_finish(l->la, &pc)) != LINE_MORE)
		deliver(l, kind, &pc, inpos, inpos);
}
