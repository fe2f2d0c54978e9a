/* caps.c: the capability name table, lists of names, and the kernel calls that read and change a process's capabilities. */
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "num.h"

/* Kernel ABI, spelled out here because musl's toolchain has no <linux/capability.h>. */
#define CAP_ABI_VERSION_3 0x20080522
struct cap_abi_header {
	uint32_t version;
	int pid;
};
struct cap_abi_data {
	uint32_t effective, permitted, inheritable;
};

static const char *const cap_names[CAPS_NAMED] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill",
	"setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service",
	"net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
	"sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
	"sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time",
	"sys_tty_config", "mknod", "lease", "audit_write", "audit_control",
	"setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
	"block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};

const char *cap_label(unsigned cap, char *buf)
{
	if (cap < CAPS_NAMED)
		return cap_names[cap];
	memcpy(buf, "cap_", 4);
	fmt_ulong(buf + 4, cap);
	return buf;
}

static int word_is(const char *word, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(word, name, len) == 0;
}

int names_parse(const char *list, const char *const *names, size_t count,
    const char *prefix, uint64_t *set, const char **bad, size_t *badlen)
{
	size_t plen = prefix ? strlen(prefix) : 0;
	uint64_t found = 0;

	for (;;) {
		size_t len = strcspn(list, ","), skip = 0, i;

		if (plen && len > plen && strncasecmp(list, prefix, plen) == 0)
			skip = plen;
		for (i = 0; i < count; i++)
			if (word_is(list + skip, len - skip, names[i]))
				break;
		if (i == count) {
			*bad = list;
			*badlen = len;
			return 0;
		}
		found |= CAP_BIT(i);
		list += len;
		if (*list == '\0')
			break;
		list++;
	}
	*set = found;
	return 1;
}

int caps_parse(const char *list, uint64_t *set, const char **bad, size_t *badlen)
{
	if (strcasecmp(list, "none") == 0) {
		*set = 0;
		return 1;
	}
	return names_parse(list, cap_names, CAPS_NAMED, "cap_", set, bad, badlen);
}

unsigned caps_first(uint64_t set)
{
	unsigned cap = 0;

	while (cap < CAPS_MAX - 1 && !(set & CAP_BIT(cap)))
		cap++;
	return cap;
}

int caps_get(struct caps *c)
{
	struct cap_abi_header h = { CAP_ABI_VERSION_3, 0 };
	struct cap_abi_data d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	c->effective = d[0].effective | (uint64_t)d[1].effective << 32;
	c->permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->inheritable = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

int caps_set(const struct caps *c)
{
	struct cap_abi_header h = { CAP_ABI_VERSION_3, 0 };
	struct cap_abi_data d[2] = {
		{ (uint32_t)c->effective, (uint32_t)c->permitted, (uint32_t)c->inheritable },
		{ (uint32_t)(c->effective >> 32), (uint32_t)(c->permitted >> 32),
		    (uint32_t)(c->inheritable >> 32) },
	};

	return syscall(SYS_capset, &h, d) < 0 ? -1 : 0;
}

int cap_bounding_has(unsigned cap)
{
	int r = prctl(PR_CAPBSET_READ, (unsigned long)cap, 0UL, 0UL, 0UL);

	return r < 0 ? -1 : r != 0;
}

int cap_bounding_drop(unsigned cap)
{
	return prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0UL, 0UL, 0UL) < 0 ? -1 : 0;
}

int cap_ambient_raise(unsigned cap)
{
	return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)cap, 0UL, 0UL) < 0 ? -1 : 0;
}

int caps_keep_on_setuid(int keep)
{
	return prctl(PR_SET_KEEPCAPS, (unsigned long)(keep != 0), 0UL, 0UL, 0UL) < 0 ? -1 : 0;
}
