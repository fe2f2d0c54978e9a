/* chpst_args.c: fuzzes chpst's command-line parsing (all personalities, the long options), its numeric account form and capability lists; nothing is executed. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define main chpst_main
#include "chpst.c"
#undef main

#define MAX_ARGS 64

static const char *const names[] = {
	"chpst", "/usr/bin/chpst", "envdir", "denvdir", "envuidgid", "pgrphack",
	"setuidgid", "softlimit", "x/dsoftlimit", "setlock", "dsetlock", "d", "",
};

static void check(int argc, char **argv, const struct settings *s, enum parse_result r)
{
	if (!s->name || (unsigned)s->as >= NPERSONALITIES)
		abort();
	if (r != PARSE_OK)
		return;
	/* PROG must be a non-empty tail of argv. */
	if (!s->prog || s->prog < argv + 1 || s->prog >= argv + argc || !s->prog[0])
		abort();
	if (s->as == AS_SETLOCK && !s->lock)
		abort();
	if (s->as == AS_ENVDIR && !(s->envdir && s->envdir_strict))
		abort();
	/* The long options: only chpst proper has them, and what they hold is in range. */
	if (s->as != AS_CHPST && (s->no_new_privs || s->caps_wanted || s->ambient_wanted ||
	    s->unshare || s->private_tmp || s->oom_wanted || s->umask_wanted))
		abort();
	/* Any of the 64 capability bits can be named (cap_N), so only namespaces are bounded. */
	if (s->unshare >> NS_COUNT)
		abort();
	if (s->caps_wanted && s->ambient_wanted && (s->ambient & ~s->caps))
		abort();
	if (s->private_tmp && !(s->unshare & NS_BIT(NS_MOUNT)))
		abort();
	if (s->oom_score_adj < -OOM_SCORE_ADJ_MAX || s->oom_score_adj > OOM_SCORE_ADJ_MAX || s->umask > 0777)
		abort();
}

/* Every word as a capability list: a set, or a bad word inside the list. */
static void check_caps_list(const char *list)
{
	const char *bad = 0;
	size_t badlen = 0;
	uint64_t set = 0;

	if (caps_parse(list, &set, &bad, &badlen))
		return; /* every bit of the set can be named: cap_N reaches CAPS_MAX */
	if (bad < list || bad + badlen > list + strlen(list) || memchr(bad, ',', badlen))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAX_ARGS + 2];
	struct settings s;
	struct account a;
	enum parse_result r;
	size_t i, start;
	int argc;

	if (size < 1)
		return 0;
	argv[0] = (char *)names[data[0] % (sizeof names / sizeof names[0])];
	argc = 1;
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	/* NUL-separated words; the last one is terminated by the byte we set above. */
	for (start = 0, i = 0; i < size - 1 && argc < MAX_ARGS; i++) {
		if (buf[i] == '\0' || i == size - 2) {
			argv[argc++] = buf + start;
			start = i + 1;
		}
	}
	argv[argc] = 0;

	for (i = 1; i < (size_t)argc; i++)
		check_caps_list(argv[i]);
	r = parse_args(argc, argv, &s);
	check(argc, argv, &s, r);
	if (r == PARSE_OK) {
		if (s.set_user && s.set_user[0] == ':')
			(void)account_numeric(s.set_user + 1, &a);
		if (s.env_user && s.env_user[0] == ':' && account_numeric(s.env_user + 1, &a) &&
		    (a.ngid < 1 || a.ngid > GROUPS_MAX))
			abort();
	}
	free(buf);
	return 0;
}
