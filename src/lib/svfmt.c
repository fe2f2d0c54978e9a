/* svfmt.c: sv's status for machines: JSON lines, Prometheus text, and ISO-8601 local times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "num.h"
#include "svfmt.h"

static void put(const struct svfmt_out *o, const char *s)
{
	o->put(o->ctx, s, strlen(s));
}

static void put_ulong(const struct svfmt_out *o, unsigned long u)
{
	char buf[FMT_ULONG];

	o->put(o->ctx, buf, fmt_ulong(buf, u));
}

static void put_tain(const struct svfmt_out *o, const struct tain *t)
{
	char buf[TAIN_UNIX_MAX];

	o->put(o->ctx, buf, tain_fmt_unix(buf, t));
}

/* Length of the well-formed UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	/* the second byte's range rules out overlong forms, surrogates and > U+10FFFF */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* Copies s[0..n) with esc() deciding each ASCII byte; invalid UTF-8 becomes U+FFFD. */
static void put_text(const struct svfmt_out *o, const char *s, size_t n,
    const char *(*esc)(unsigned char c, char buf[8]))
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
	char buf[8];

	while (p < end) {
		size_t len = utf8_len(p, (size_t)(end - p));
		const char *rep = 0;

		if (len == 0)
			rep = "\xef\xbf\xbd";
		else if (len == 1)
			rep = esc(*p, buf);
		if (!rep) {
			p += len;
			continue;
		}
		o->put(o->ctx, (const char *)run, (size_t)(p - run));
		put(o, rep);
		p += len ? len : 1;
		run = p;
	}
	o->put(o->ctx, (const char *)run, (size_t)(p - run));
}

static const char *json_esc(unsigned char c, char buf[8])
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	case '\b': return "\\b";
	case '\f': return "\\f";
	default:
		if (c >= 0x20 && c != 0x7f)
			return 0;
		memcpy(buf, "\\u00", 4);
		buf[4] = hex[c >> 4];
		buf[5] = hex[c & 15];
		buf[6] = 0;
		return buf;
	}
}

static const char *label_esc(unsigned char c, char buf[8])
{
	(void)buf;
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\n': return "\\n";
	default: return 0;
	}
}

/* Does the name need its escaped form: a byte that is not UTF-8, or a
 * backslash (which the escaped form doubles, to stay reversible)? */
static int name_escaped(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		size_t len = utf8_len(p, (size_t)(end - p));

		if (len == 0 || *p == '\\')
			return 1;
		p += len;
	}
	return 0;
}

size_t svfmt_name(char *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t k = 0;

	if (!name_escaped(s, n)) {
		if (out)
			memcpy(out, s, n);
		return n;
	}
	while (p < end) {
		size_t len = utf8_len(p, (size_t)(end - p));

		if (len == 0) {
			if (out) {
				out[k] = '\\';
				out[k + 1] = 'x';
				out[k + 2] = hex[*p >> 4];
				out[k + 3] = hex[*p & 15];
			}
			k += 4;
			p++;
		} else if (*p == '\\') {
			if (out)
				out[k] = out[k + 1] = '\\';
			k += 2;
			p++;
		} else {
			if (out)
				memcpy(out + k, p, len);
			k += len;
			p += len;
		}
	}
	return k;
}

/* The name in its shown form, through esc (JSON string or label value). */
static void put_name(const struct svfmt_out *o, const char *s,
    const char *(*esc)(unsigned char c, char buf[8]))
{
	size_t n = strlen(s), k;
	char *shown;

	if (!name_escaped(s, n)) {
		put_text(o, s, n, esc);
		return;
	}
	k = svfmt_name(0, s, n);
	shown = malloc(k ? k : 1);
	if (!shown) {
		put_text(o, s, n, esc); /* no memory: U+FFFD, still valid */
		return;
	}
	svfmt_name(shown, s, n);
	put_text(o, shown, k, esc);
	free(shown);
}

void svfmt_json_name(const struct svfmt_out *o, const char *name)
{
	put(o, "\"");
	put_name(o, name, json_esc);
	put(o, "\"");
}

void svfmt_json_string(const struct svfmt_out *o, const char *s, size_t n)
{
	put(o, "\"");
	put_text(o, s, n, json_esc);
	put(o, "\"");
}

static void key(const struct svfmt_out *o, const char *k)
{
	put(o, ",\"");
	put(o, k);
	put(o, "\":");
}

static const char *bool_word(int b)
{
	return b ? "true" : "false";
}

static const char *const state_words[] = { "down", "run", "finish" };

static const char *want_word(const struct svfmt_slot *s)
{
	if (s->st.want == 'u')
		return "up";
	if (s->st.want == 'd')
		return s->want_exit ? "exit" : "down";
	return 0;
}

/* needs and oneshot (runsv.8): "oneshot", "waiting_count", "waiting". */
static void json_needs(const struct svfmt_out *o, const struct svinfo *in)
{
	const char *p = in ? in->waiting_list : "", *sep = "[";
	struct svinfo_wait_entry e;

	key(o, "oneshot");
	put(o, in && in->oneshot ? (in->oneshot == SVINFO_ONESHOT_DONE ? "\"done\"" : "\"failed\"") : "null");
	key(o, "waiting_count");
	if (in && in->waiting)
		put_ulong(o, in->waiting_count);
	else
		put(o, "null");
	key(o, "waiting");
	if (!in || !in->waiting) {
		put(o, "null");
		return;
	}
	for (; svinfo_wait_next(&p, &e); sep = ",") {
		put(o, sep);
		put(o, "{\"name\":");
		svfmt_json_string(o, e.name, e.name_len);
		put(o, ",\"state\":");
		svfmt_json_string(o, e.state, e.state_len);
		put(o, ",\"reason\":");
		svfmt_json_string(o, e.reason, e.reason_len);
		put(o, "}");
	}
	put(o, *sep == '[' ? "[]" : "]");
}

/* The restart policy's members, and an instance's names. */
static void json_name(const struct svfmt_out *o, const char *k, const char *name, size_t cap)
{
	key(o, k);
	if (name && name[0])
		svfmt_json_string(o, name, strnlen(name, cap));
	else
		put(o, "null");
}

static void json_restart(const struct svfmt_out *o, const struct svinfo *in)
{
	key(o, "next_start");
	if (in && in->next_due)
		put_tain(o, &in->next_start);
	else
		put(o, "null");
	key(o, "gave_up");
	put(o, !in ? "null" : bool_word(in->gave_up != 0));
	key(o, "gave_up_exits");
	if (in && in->gave_up)
		put_ulong(o, in->gave_up);
	else
		put(o, "null");
	json_name(o, "template", in ? in->template_name : 0, SVINFO_NAME_MAX);
	json_name(o, "instance", in ? in->instance : 0, SVINFO_NAME_MAX);
}

static void json_slot(const struct svfmt_out *o, const struct svfmt_slot *s, uint64_t now)
{
	const struct svinfo *in = s->info;
	const char *w;

	put(o, "{\"name\":");
	svfmt_json_name(o, s->name);
	if (s->error) {
		key(o, "error");
		svfmt_json_string(o, s->error, strlen(s->error));
		put(o, "}");
		return;
	}
	key(o, "state");
	if (s->st.state < 3) {
		put(o, "\"");
		put(o, state_words[s->st.state]);
		put(o, "\"");
	} else {
		put(o, "null");
	}
	key(o, "pid");
	if (s->st.pid)
		put_ulong(o, s->st.pid);
	else
		put(o, "null");
	key(o, "since");
	put_tain(o, &s->st.stamp);
	key(o, "seconds");
	put_ulong(o, now > s->st.stamp.sec ? (unsigned long)(now - s->st.stamp.sec) : 0);
	key(o, "want");
	w = want_word(s);
	put(o, w ? "\"" : "null");
	if (w) {
		put(o, w);
		put(o, "\"");
	}
	key(o, "normally");
	put(o, s->normally_up < 0 ? "null" : s->normally_up ? "\"up\"" : "\"down\"");
	key(o, "paused");
	put(o, bool_word(s->st.paused));
	key(o, "got_term");
	put(o, bool_word(s->st.term));
	key(o, "ready");
	put(o, !in || in->readiness == SVINFO_READY_NONE ? "null" : bool_word(in->ready));
	key(o, "ready_since");
	if (in && in->readiness != SVINFO_READY_NONE && in->ready)
		put_tain(o, &in->ready_since);
	else
		put(o, "null");
	key(o, "last_exit");
	if (!in || in->exit_kind == SVINFO_EXIT_NONE) {
		put(o, "null");
	} else {
		put(o, in->exit_kind == SVINFO_EXIT_SIGNAL ? "{\"signal\":" : "{\"code\":");
		put_ulong(o, (unsigned long)in->exit_value);
		put(o, "}");
	}
	key(o, "starts");
	if (in)
		put_ulong(o, in->starts);
	else
		put(o, "null");
	key(o, "status_text");
	if (in && in->status_text[0])
		svfmt_json_string(o, in->status_text, strnlen(in->status_text, sizeof in->status_text));
	else
		put(o, "null");
	json_needs(o, in);
	key(o, "readiness_error");
	if (in && in->readiness_error[0])
		svfmt_json_string(o, in->readiness_error, strnlen(in->readiness_error, sizeof in->readiness_error));
	else
		put(o, "null");
	json_restart(o, in);
}

void svfmt_json(const struct svfmt_out *o, const struct svfmt_slot *s,
    const struct svfmt_slot *log, uint64_t now)
{
	json_slot(o, s, now);
	if (!s->error) {
		key(o, "log");
		if (log) {
			json_slot(o, log, now);
			if (!log->error)
				put(o, "}");
		} else {
			put(o, "null");
		}
		put(o, "}");
	}
	put(o, "\n");
}

/* ---- Prometheus ---- */

/* A metric's value for a slot: writes it to buf and returns 1, or 0 for no sample. */
typedef int (*metric_fn)(const struct svfmt_slot *s, char *buf);

static int bit(char *buf, int b)
{
	buf[0] = b ? '1' : '0';
	buf[1] = 0;
	return 1;
}

static int m_supervised(const struct svfmt_slot *s, char *buf)
{
	return bit(buf, !s->error);
}

static int m_up(const struct svfmt_slot *s, char *buf)
{
	return !s->error && bit(buf, s->st.pid && s->st.state == SV_RUN);
}

static int m_since(const struct svfmt_slot *s, char *buf)
{
	return !s->error && tain_fmt_unix(buf, &s->st.stamp);
}

static int m_want_up(const struct svfmt_slot *s, char *buf)
{
	return !s->error && bit(buf, s->st.want == 'u');
}

static int m_normally_up(const struct svfmt_slot *s, char *buf)
{
	return !s->error && s->normally_up >= 0 && bit(buf, s->normally_up);
}

static int m_paused(const struct svfmt_slot *s, char *buf)
{
	return !s->error && bit(buf, s->st.paused);
}

static int m_got_term(const struct svfmt_slot *s, char *buf)
{
	return !s->error && bit(buf, s->st.term);
}

static int declares_readiness(const struct svfmt_slot *s)
{
	return !s->error && s->info && s->info->readiness != SVINFO_READY_NONE;
}

static int m_ready(const struct svfmt_slot *s, char *buf)
{
	return declares_readiness(s) && bit(buf, s->info->ready);
}

static int m_starts(const struct svfmt_slot *s, char *buf)
{
	return !s->error && s->info && fmt_ulong(buf, s->info->starts);
}

static int last_exit(const struct svfmt_slot *s, char *buf, enum svinfo_exit kind)
{
	return !s->error && s->info && s->info->exit_kind == kind &&
	    fmt_ulong(buf, (unsigned long)s->info->exit_value);
}

static int m_exit_code(const struct svfmt_slot *s, char *buf)
{
	return last_exit(s, buf, SVINFO_EXIT_CODE);
}

static int m_exit_signal(const struct svfmt_slot *s, char *buf)
{
	return last_exit(s, buf, SVINFO_EXIT_SIGNAL);
}

static const struct metric {
	const char *name, *type, *help;
	metric_fn value; /* 0: runit_service_state, one series per state */
} metrics[] = {
	{ "runit_service_supervised", "gauge",
	  "1 when a runsv supervises the service, 0 when sv could not read it (runsv not running, no such directory)", m_supervised },
	{ "runit_service_up", "gauge", "1 while ./run runs", m_up },
	{ "runit_service_state", "gauge", "1 for the current state: down, run or finish", 0 },
	{ "runit_service_start_time_seconds", "gauge",
	  "Unix time of the last state change: the start of ./run while it runs or finishes", m_since },
	{ "runit_service_want_up", "gauge", "1 when the service is wanted up", m_want_up },
	{ "runit_service_normally_up", "gauge", "1 without a down file", m_normally_up },
	{ "runit_service_paused", "gauge", "1 when paused (STOP sent)", m_paused },
	{ "runit_service_got_term", "gauge", "1 when TERM was sent and ./run has not exited yet", m_got_term },
	{ "runit_service_ready", "gauge",
	  "1 once a service declaring readiness said it is ready (runit-ng's runsv only)", m_ready },
	{ "runit_service_starts_total", "counter", "./run starts since runsv started (runit-ng's runsv only)", m_starts },
	{ "runit_service_last_exit_code", "gauge", "exit code of the last ./run that exited (runit-ng's runsv only)", m_exit_code },
	{ "runit_service_last_exit_signal", "gauge",
	  "signal that ended the last ./run killed by one (runit-ng's runsv only)", m_exit_signal },
};

static void sample(const struct svfmt_out *o, const char *metric, const struct svfmt_slot *s,
    const char *state, const char *value)
{
	put(o, metric);
	put(o, "{service=\"");
	put_name(o, s->name, label_esc);
	if (state) {
		put(o, "\",state=\"");
		put(o, state);
	}
	put(o, "\"} ");
	put(o, value);
	put(o, "\n");
}

static const char *(*sort_name)(const void *ctx, size_t i);
static const void *sort_ctx;

/* by name, then by place: the first of equal names sorts first */
static int by_name_then_place(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(sort_name(sort_ctx, i), sort_name(sort_ctx, j));

	return c ? c : (i > j) - (i < j);
}

unsigned char *svfmt_repeats(size_t n, const char *(*name_of)(const void *ctx, size_t i),
    const void *ctx)
{
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	unsigned char *rep = calloc(n ? n : 1, 1);

	if (!order || !rep) {
		free(order);
		free(rep);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_name = name_of;
	sort_ctx = ctx;
	qsort(order, n, sizeof *order, by_name_then_place);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(name_of(ctx, order[i]), name_of(ctx, order[i - 1])))
			rep[order[i]] = 1;
	free(order);
	return rep;
}

static const char *slot_name(const void *ctx, size_t i)
{
	return ((const struct svfmt_slot *)ctx)[i].name;
}

void svfmt_prom(const struct svfmt_out *o, const struct svfmt_slot *slots, size_t n)
{
	char buf[TAIN_UNIX_MAX];
	/* operands X X/log: X's log slot is X/log too */
	unsigned char *rep = svfmt_repeats(n, slot_name, slots);

	for (size_t m = 0; m < sizeof metrics / sizeof metrics[0]; m++) {
		const struct metric *mt = &metrics[m];

		put(o, "# HELP ");
		put(o, mt->name);
		put(o, " ");
		put(o, mt->help);
		put(o, "\n# TYPE ");
		put(o, mt->name);
		put(o, " ");
		put(o, mt->type);
		put(o, "\n");
		for (size_t i = 0; i < n; i++) {
			const struct svfmt_slot *s = &slots[i];

			if (rep && rep[i])
				continue;
			if (!mt->value) {
				if (s->error)
					continue;
				for (unsigned k = 0; k < 3; k++)
					sample(o, mt->name, s, state_words[k], s->st.state == k ? "1" : "0");
			} else if (mt->value(s, buf)) {
				sample(o, mt->name, s, 0, buf);
			}
		}
	}
	free(rep);
}

size_t svfmt_localtime(char out[SVFMT_TIME_MAX], int64_t unix_sec, uint32_t nano)
{
	time_t t = (time_t)unix_sec;
	struct tm tm;
	long off;
	size_t len;
	int r;

	if (!localtime_r(&t, &tm)) {
		out[0] = 0;
		return 0;
	}
	len = strftime(out, SVFMT_TIME_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff;
	r = snprintf(out + len, SVFMT_TIME_MAX - len, ".%06u%c%02ld:%02ld",
	    (unsigned)(nano % 1000000000u / 1000), off < 0 ? '-' : '+',
	    (off < 0 ? -off : off) / 3600, (off < 0 ? -off : off) / 60 % 60);
	return r < 0 ? len : len + (size_t)r;
}
