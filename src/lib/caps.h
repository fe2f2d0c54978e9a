/* caps.h: Linux capabilities by name, and a process's capability sets through capget/capset and prctl (no libcap). */
#ifndef RNG_CAPS_H
#define RNG_CAPS_H
#include <stddef.h>
#include <stdint.h>

/* Capability numbers are the kernel's (capabilities(7)); bit n of a set is capability n. */
#define CAPS_NAMED 41 /* chown (0) to checkpoint_restore (40) */
#define CAPS_MAX 64   /* what a 64-bit set, and capget's version 3, can hold */
#define CAP_BIT(n) ((uint64_t)1 << (n))
#define CAP_LABEL_MAX 24

/* The lower-case name without "cap_" ("net_bind_service"), or "cap_N" for a
 * number without a name; written into buf (CAP_LABEL_MAX bytes) when needed. */
const char *cap_label(unsigned cap, char *buf);

/* Sets bit i for every comma-separated word equal to names[i] (any case), with or
 * without prefix (NULL: none) in front. count <= 64. Returns 1; or 0 with *bad and
 * *badlen marking the first word that is empty or not in names (*set untouched). */
int names_parse(const char *list, const char *const *names, size_t count,
    const char *prefix, uint64_t *set, const char **bad, size_t *badlen);

/* "none", or a comma-separated list of capability names as names_parse
 * reads them ("cap_" optional) and numbers "cap_N" (N below CAPS_MAX, for
 * a kernel newer than the table; what cap_label prints). */
int caps_parse(const char *list, uint64_t *set, const char **bad, size_t *badlen);

/* The lowest capability in a non-empty set. */
unsigned caps_first(uint64_t set);

struct caps {
	uint64_t effective, permitted, inheritable;
};

/* This process's sets (capget/capset); -1 with errno on failure. */
int caps_get(struct caps *c);
int caps_set(const struct caps *c);
/* The kernel's last capability (/proc/sys/kernel/cap_last_cap), or -1
 * with errno when it cannot be read. */
int caps_last(void);
/* 1 if cap is in the bounding set, 0 if not, -1 with errno (EINVAL past
 * the last one the kernel knows). */
int cap_bounding_has(unsigned cap);
int cap_bounding_drop(unsigned cap);
/* Adds one capability to the ambient set; it must be permitted and inheritable. The
 * kernel drops from the ambient set whatever stops being both. */
int cap_ambient_raise(unsigned cap);
/* Whether the permitted set survives a change from uid 0 to another (PR_SET_KEEPCAPS). */
int caps_keep_on_setuid(int keep);
#endif
