/* svinfo.c: supervise/info, runit-ng's text record of what the 20-byte status cannot hold. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io.h"
#include "num.h"
#include "svinfo.h"

static const char *const readiness_words[] = { "none", "fd", "notify" };
static const char *const kill_words[] = { "process", "pgrp", "cgroup" };
static const char *const oneshot_words[] = { "", "done", "failed" };

const char *svinfo_readiness_word(enum svinfo_readiness r)
{
	return (unsigned)r < 3 ? readiness_words[r] : "none";
}

const char *svinfo_kill_word(enum svinfo_kill k)
{
	return (unsigned)k < 3 ? kill_words[k] : "process";
}

const char *svinfo_oneshot_word(enum svinfo_oneshot o)
{
	return (unsigned)o < 3 ? oneshot_words[o] : "";
}

/* Appends s; the caller's sizes keep every line within SVINFO_MAX. */
static size_t put(char *out, size_t len, const char *s)
{
	size_t n = strlen(s);

	memcpy(out + len, s, n);
	return len + n;
}

static size_t put_tain(char *out, size_t len, const struct tain *t)
{
	char buf[TAIN_UNIX_MAX];

	tain_fmt_unix(buf, t);
	return put(out, len, buf);
}

static size_t put_ulong(char *out, size_t len, unsigned long u)
{
	char buf[FMT_ULONG];

	fmt_ulong(buf, u);
	return put(out, len, buf);
}

/* A name, bounded even without its NUL, control bytes as spaces (one line). */
static size_t put_name(char *out, size_t len, const char *name)
{
	for (size_t i = 0; i < SVINFO_NAME_MAX - 1 && name[i]; i++)
		out[len++] = (unsigned char)name[i] < 0x20 ? ' ' : name[i];
	return len;
}

size_t svinfo_format(char *out, const struct svinfo *in)
{
	size_t len = 0;

	len = put(out, len, "pid=");
	len = put_ulong(out, len, in->pid);
	len = put(out, len, "\nsince=");
	len = put_tain(out, len, &in->since);
	len = put(out, len, "\nstarts=");
	len = put_ulong(out, len, in->starts);
	len = put(out, len, "\nlast_exit=");
	if (in->exit_kind != SVINFO_EXIT_NONE) {
		len = put(out, len, in->exit_kind == SVINFO_EXIT_SIGNAL ? "signal " : "exit ");
		len = put_ulong(out, len, (unsigned long)(in->exit_value & 0xff));
	}
	len = put(out, len, "\nlast_exit_at=");
	if (in->exit_kind != SVINFO_EXIT_NONE)
		len = put_tain(out, len, &in->exit_at);
	len = put(out, len, "\nreadiness=");
	len = put(out, len, svinfo_readiness_word(in->readiness));
	len = put(out, len, "\nready_since=");
	if (in->ready)
		len = put_tain(out, len, &in->ready_since);
	len = put(out, len, "\nstatus_text=");
	/* memchr bounds a text that lost its NUL; the sizes keep it in SVINFO_MAX */
	{
		const char *end = memchr(in->status_text, 0, SVINFO_TEXT_MAX);
		size_t n = end ? (size_t)(end - in->status_text) : SVINFO_TEXT_MAX - 1;

		memcpy(out + len, in->status_text, n);
		len += n;
	}
	len = put(out, len, "\nkill=");
	len = put(out, len, svinfo_kill_word(in->kill));
	len = put(out, len, "\ncgroup=");
	if (in->kill == SVINFO_KILL_CGROUP) {
		const char *end = memchr(in->cgroup, 0, SVINFO_PATH_MAX);
		size_t n = end ? (size_t)(end - in->cgroup) : SVINFO_PATH_MAX - 1;

		memcpy(out + len, in->cgroup, n);
		len += n;
	}
	len = put(out, len, "\nmain_pid=");
	if (in->main_pid)
		len = put_ulong(out, len, in->main_pid);
	len = put(out, len, "\noneshot=");
	len = put(out, len, svinfo_oneshot_word(in->oneshot));
	len = put(out, len, "\nwaiting_count=");
	if (in->waiting)
		len = put_ulong(out, len, in->waiting_count);
	len = put(out, len, "\nwaiting=");
	if (in->waiting) {
		const char *end = memchr(in->waiting_list, 0, SVINFO_WAIT_MAX);
		size_t n = end ? (size_t)(end - in->waiting_list) : SVINFO_WAIT_MAX - 1;

		memcpy(out + len, in->waiting_list, n);
		len += n;
	}
	len = put(out, len, "\nreadiness_error=");
	{
		const char *end = memchr(in->readiness_error, 0, SVINFO_ERROR_MAX);
		size_t n = end ? (size_t)(end - in->readiness_error) : SVINFO_ERROR_MAX - 1;

		memcpy(out + len, in->readiness_error, n);
		len += n;
	}
	len = put(out, len, "\nnext_start=");
	if (in->next_due)
		len = put_tain(out, len, &in->next_start);
	len = put(out, len, "\ngave_up=");
	if (in->gave_up)
		len = put_ulong(out, len, in->gave_up);
	len = put(out, len, "\ntemplate=");
	len = put_name(out, len, in->template_name);
	len = put(out, len, "\ninstance=");
	len = put_name(out, len, in->instance);
	out[len++] = '\n';
	return len;
}

static int word_index(const char *v, size_t n, const char *const *words, int count)
{
	for (int i = 0; i < count; i++)
		if (strlen(words[i]) == n && !memcmp(v, words[i], n))
			return i;
	return -1;
}

static int scan_number(const char *v, size_t n, unsigned long *out)
{
	char buf[FMT_ULONG];

	if (n == 0 || n >= sizeof buf || memchr(v, 0, n))
		return -1;
	memcpy(buf, v, n);
	buf[n] = 0;
	return scan_ulong_all(buf, out) ? 0 : -1;
}

static void copy_text(char *out, size_t cap, const char *v, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(out, v, n);
	out[n] = 0;
}

int svinfo_parse(const char *buf, size_t len, struct svinfo *out)
{
	const char *p = buf, *end = buf + len;
	int have_pid = 0, have_since = 0;

	memset(out, 0, sizeof *out);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		const char *eq = memchr(p, '=', (size_t)(line_end - p));
		unsigned long u;

		if (eq) {
			size_t klen = (size_t)(eq - p), vlen = (size_t)(line_end - eq - 1);
			const char *v = eq + 1;
			int i;

#define KEY(k) (klen == sizeof k - 1 && !memcmp(p, k, klen))
			if (KEY("pid")) {
				if (scan_number(v, vlen, &u) == 0 && u <= UINT32_MAX) {
					out->pid = (uint32_t)u;
					have_pid = 1;
				}
			} else if (KEY("since")) {
				have_since = tain_scan_unix(v, vlen, &out->since) == 0;
			} else if (KEY("starts")) {
				if (scan_number(v, vlen, &u) == 0)
					out->starts = u;
			} else if (KEY("last_exit")) {
				int sig = vlen > 7 && !memcmp(v, "signal ", 7);
				int code = vlen > 5 && !memcmp(v, "exit ", 5);
				size_t skip = sig ? 7 : 5;

				if ((sig || code) && scan_number(v + skip, vlen - skip, &u) == 0 &&
				    u <= 255) {
					out->exit_kind = sig ? SVINFO_EXIT_SIGNAL : SVINFO_EXIT_CODE;
					out->exit_value = (int)u;
				}
			} else if (KEY("last_exit_at")) {
				if (vlen)
					(void)tain_scan_unix(v, vlen, &out->exit_at);
			} else if (KEY("readiness")) {
				i = word_index(v, vlen, readiness_words, 3);
				out->readiness = i < 0 ? SVINFO_READY_NONE : (enum svinfo_readiness)i;
			} else if (KEY("ready_since")) {
				out->ready = vlen && tain_scan_unix(v, vlen, &out->ready_since) == 0;
			} else if (KEY("status_text")) {
				copy_text(out->status_text, sizeof out->status_text, v, vlen);
			} else if (KEY("kill")) {
				i = word_index(v, vlen, kill_words, 3);
				out->kill = i < 0 ? SVINFO_KILL_PROCESS : (enum svinfo_kill)i;
			} else if (KEY("cgroup")) {
				copy_text(out->cgroup, sizeof out->cgroup, v, vlen);
			} else if (KEY("main_pid")) {
				if (vlen && scan_number(v, vlen, &u) == 0 && u <= UINT32_MAX)
					out->main_pid = (uint32_t)u;
			} else if (KEY("oneshot")) {
				i = vlen ? word_index(v, vlen, oneshot_words, 3) : -1;
				out->oneshot = i < 0 ? SVINFO_ONESHOT_NONE : (enum svinfo_oneshot)i;
			} else if (KEY("waiting_count")) {
				if (vlen && scan_number(v, vlen, &u) == 0) {
					out->waiting = 1;
					out->waiting_count = u;
				}
			} else if (KEY("waiting")) {
				copy_text(out->waiting_list, sizeof out->waiting_list, v, vlen);
			} else if (KEY("readiness_error")) {
				copy_text(out->readiness_error, sizeof out->readiness_error, v, vlen);
			} else if (KEY("next_start")) {
				out->next_due = vlen && tain_scan_unix(v, vlen, &out->next_start) == 0;
			} else if (KEY("gave_up")) {
				if (vlen && scan_number(v, vlen, &u) == 0 && u <= UINT32_MAX)
					out->gave_up = (unsigned)u;
			} else if (KEY("template")) {
				copy_text(out->template_name, sizeof out->template_name, v, vlen);
			} else if (KEY("instance")) {
				copy_text(out->instance, sizeof out->instance, v, vlen);
			}
#undef KEY
		}
		p = nl ? nl + 1 : end;
	}
	if (out->exit_kind == SVINFO_EXIT_NONE)
		out->exit_at = (struct tain){ 0, 0 };
	if (!out->waiting)
		out->waiting_list[0] = 0;
	return have_pid && have_since ? 0 : -1;
}

int svinfo_read_at(int dirfd, const char *path, struct svinfo *out)
{
	char buf[SVINFO_MAX + 1];
	ssize_t n;
	int fd, saved;

	fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read_file(fd, buf, sizeof buf);
	saved = errno;
	close_fd(fd);
	errno = saved;
	if (n < 0)
		return -1;
	if ((size_t)n > SVINFO_MAX)
		return 1;
	return svinfo_parse(buf, (size_t)n, out) == 0 ? 0 : 1;
}

int svinfo_same_moment(const struct svinfo *info, const struct sv_status *st)
{
	return info->pid == st->pid && info->since.sec == st->stamp.sec &&
	    info->since.nano == st->stamp.nano;
}

/* b - a in milliseconds, saturated well past the windows that use it. */
static long long tain_diff_ms(const struct tain *a, const struct tain *b)
{
	long long sec = (long long)(b->sec - a->sec);

	if (sec > 1000000 || sec < -1000000)
		return sec > 0 ? 1000000000LL : -1000000000LL;
	return sec * 1000 + ((long long)b->nano - (long long)a->nano) / 1000000;
}

int svinfo_derive_start(struct svinfo *info, const struct sv_status *st)
{
	long long late;

	if (info->pid != 0 || !info->next_due || info->gave_up || info->ready ||
	    info->main_pid || st->pid == 0 || st->state != SV_RUN)
		return 0;
	late = tain_diff_ms(&info->next_start, &st->stamp);
	if (late < -SVINFO_START_EARLY_MS || late > SVINFO_START_LATE_MS)
		return 0;
	info->pid = st->pid;
	info->since = st->stamp;
	info->starts++;
	info->next_due = 0;
	info->status_text[0] = 0;
	return 1;
}

int svinfo_matches(struct svinfo *info, const struct sv_status *st)
{
	return svinfo_same_moment(info, st) || svinfo_derive_start(info, st);
}

void svinfo_set_text(char out[SVINFO_TEXT_MAX], const char *text, size_t len)
{
	size_t n = len < SVINFO_TEXT_MAX - 1 ? len : SVINFO_TEXT_MAX - 1;

	/* Cut before a UTF-8 continuation byte so a character is never split. */
	if (n < len)
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];

		out[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	out[n] = 0;
}

enum svinfo_exit svinfo_exit_of(int wstat, int *value)
{
	if (WIFSIGNALED(wstat)) {
		*value = WTERMSIG(wstat);
		return SVINFO_EXIT_SIGNAL;
	}
	*value = WEXITSTATUS(wstat);
	return SVINFO_EXIT_CODE;
}

/* Up to the next c in [p, end), or end. */
static const char *upto(const char *p, const char *end, char c)
{
	const char *q = memchr(p, c, (size_t)(end - p));

	return q ? q : end;
}

int svinfo_wait_next(const char **p, struct svinfo_wait_entry *e)
{
	const char *s = *p, *end, *sp;

	while (*s == '|' || *s == ' ')
		s++;
	if (!*s)
		return 0;
	end = s + strlen(s);
	end = upto(s, end, '|');
	*p = end;
	sp = upto(s, end, ' ');
	e->name = s;
	e->name_len = (size_t)(sp - s);
	s = sp < end ? sp + 1 : end;
	sp = upto(s, end, ' ');
	e->state = s;
	e->state_len = (size_t)(sp - s);
	s = sp < end ? sp + 1 : end;
	e->reason = s;
	e->reason_len = (size_t)(end - s);
	return 1;
}
