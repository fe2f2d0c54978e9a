/* Unit tests for caps.c: the name table, list parsing, and the kernel calls on this process. */
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "caps.h"
#include "tap.h"

#if defined(__has_include)
#if __has_include(<linux/capability.h>)
#include <linux/capability.h>
#endif
#endif

/* TAP's skip: passes, with the reason as a directive. */
static void skip(const char *why)
{
	printf("ok %d # skip %s\n", ++tap_n, why);
}

static uint64_t parsed;
static const char *bad;
static size_t badlen;

static int parses(const char *list, uint64_t want)
{
	parsed = ~(uint64_t)0;
	return caps_parse(list, &parsed, &bad, &badlen) && parsed == want;
}

static int refuses(const char *list, const char *word)
{
	parsed = 12345;
	return !caps_parse(list, &parsed, &bad, &badlen) && parsed == 12345 &&
	    badlen == strlen(word) && strncmp(bad, word, badlen) == 0;
}

/* The CapXxx: line of /proc/self/status as a number, or ~0 if absent. */
static uint64_t status_caps(const char *field)
{
	char line[256];
	size_t len = strlen(field);
	uint64_t v = ~(uint64_t)0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return v;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, field, len) == 0 && line[len] == ':')
			v = strtoull(line + len + 1, 0, 16);
	fclose(f);
	return v;
}

int main(void)
{
	char buf[CAP_LABEL_MAX];
	struct caps c;

	is_str(cap_label(0, buf), "chown", "label of 0");
	is_str(cap_label(10, buf), "net_bind_service", "label of 10");
	is_str(cap_label(40, buf), "checkpoint_restore", "label of the last named");
	is_str(cap_label(41, buf), "cap_41", "a number without a name");
	is_str(cap_label(63, buf), "cap_63", "the highest number");
#ifdef CAP_LAST_CAP
	ok(CAP_LAST_CAP < CAPS_NAMED, "every capability of these kernel headers has a name");
	ok(parses("net_bind_service", CAP_BIT(CAP_NET_BIND_SERVICE)) &&
	    parses("sys_admin", CAP_BIT(CAP_SYS_ADMIN)) &&
	    parses("setpcap", CAP_BIT(CAP_SETPCAP)) &&
	    parses("audit_read", CAP_BIT(CAP_AUDIT_READ)),
	    "numbers agree with <linux/capability.h>");
#else
	skip("no <linux/capability.h>");
	skip("no <linux/capability.h>");
#endif

	ok(parses("net_bind_service", CAP_BIT(10)), "one name");
	ok(parses("CAP_NET_BIND_SERVICE", CAP_BIT(10)), "upper case with cap_");
	ok(parses("Cap_Chown,kill,cap_setuid", CAP_BIT(0) | CAP_BIT(5) | CAP_BIT(7)), "a mixed list");
	ok(parses("chown,chown", CAP_BIT(0)), "a repeated name counts once");
	ok(parses("none", 0) && parses("NONE", 0), "none is the empty set");
	ok(parses("checkpoint_restore", CAP_BIT(40)), "the last named");
	ok(refuses("", ""), "empty list");
	ok(refuses("chown,", ""), "trailing comma: an empty word");
	ok(refuses(",chown", ""), "leading comma");
	ok(refuses("chown,,kill", ""), "empty word inside");
	ok(refuses("chown,net_bind_servce,kill", "net_bind_servce"), "the unknown word is pointed at");
	ok(refuses("cap_", "cap_"), "the prefix alone");
	ok(refuses("cap_cap_chown", "cap_cap_chown"), "the prefix only once");
	ok(refuses("none,chown", "none"), "none only alone");
	ok(refuses("chown ", "chown "), "no blanks");
	ok(refuses("41", "41"), "no bare numbers");
	ok(parses("cap_41", CAP_BIT(41)) && parses("CAP_63,chown", CAP_BIT(63) | CAP_BIT(0)),
	    "cap_N: a number the table does not name");
	ok(parses("cap_0", CAP_BIT(0)) && parses("cap_40,checkpoint_restore", CAP_BIT(40)),
	    "cap_N of a named one is that one");
	ok(refuses("cap_64", "cap_64") && refuses("chown,cap_07", "cap_07") &&
	    refuses("cap_-1", "cap_-1") && refuses("cap_1x", "cap_1x"), "cap_N: below 64, plain decimal");
	{
		int last = caps_last();
		ok(last >= 31 && last < CAPS_MAX, "caps_last reads the kernel's last capability (%d)", last);
	}

	{
		static const char *const words[] = { "net", "ipc", "uts", "mount" };
		uint64_t set = 0;

		ok(names_parse("mount,NET", words, 4, 0, &set, &bad, &badlen) &&
		    set == (CAP_BIT(0) | CAP_BIT(3)), "names_parse without a prefix");
		ok(!names_parse("net,pid", words, 4, 0, &set, &bad, &badlen) &&
		    badlen == 3 && strncmp(bad, "pid", 3) == 0, "names_parse: unknown word");
		ok(!names_parse("cap_net", words, 4, 0, &set, &bad, &badlen), "no prefix when none is given");
	}

	ok(caps_first(CAP_BIT(0)) == 0 && caps_first(CAP_BIT(10) | CAP_BIT(12)) == 10 &&
	    caps_first(CAP_BIT(63)) == 63, "caps_first");

	ok(caps_get(&c) == 0, "capget");
	ok(c.permitted == status_caps("CapPrm") && c.effective == status_caps("CapEff") &&
	    c.inheritable == status_caps("CapInh"), "capget agrees with /proc/self/status");
	ok(cap_bounding_has(0) >= 0, "the bounding set answers for chown");
	ok(cap_bounding_has(CAPS_MAX - 1) < 0, "and not past the kernel's last capability");
	ok(caps_set(&c) == 0, "capset of the same sets");

	if (geteuid() == 0 && (c.effective & CAP_BIT(8)) && cap_bounding_has(0) == 1 &&
	    (c.permitted & CAP_BIT(0))) {
		struct caps with = c;

		with.inheritable |= CAP_BIT(0);
		ok(caps_set(&with) == 0 && status_caps("CapInh") == (c.inheritable | CAP_BIT(0)),
		    "capset raises an inheritable capability");
		ok(cap_ambient_raise(0) == 0 && (status_caps("CapAmb") & CAP_BIT(0)),
		    "an ambient capability raised");
		ok(caps_set(&c) == 0 && status_caps("CapAmb") == 0,
		    "out of the inheritable set, out of the ambient set (chpst relies on it)");
		ok(cap_bounding_drop(0) == 0 && cap_bounding_has(0) == 0 &&
		    !(status_caps("CapBnd") & CAP_BIT(0)), "a capability dropped from the bounding set");
		ok(caps_keep_on_setuid(1) == 0 && prctl(PR_GET_KEEPCAPS, 0UL, 0UL, 0UL, 0UL) == 1, "keep-caps set");
	} else {
		int i;
		for (i = 0; i < 5; i++)
			skip("needs root with setpcap and chown");
	}
	return done_testing();
}
