/* caps.c: the capability name table, lists of names, and the kernel calls that read and change a process's capabilities. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "io.h"
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

/* "cap_N" (any case), N a decimal below CAPS_MAX: the number of a
 * capability the name table does not know yet (a newer kernel's). */
static int cap_number(const char *word, size_t len, unsigned *cap)
{
	unsigned n = 0;
	size_t i;

	if (len < 5 || len > 6 || strncasecmp(word, "cap_", 4) != 0)
		return 0;
	for (i = 4; i < len; i++) {
		if (word[i] < '0' || word[i] > '9' || (i == 4 && word[i] == '0' && len > 5))
			return 0;
		n = n * 10 + (unsigned)(word[i] - '0');
	}
	if (n >= CAPS_MAX)
		return 0;
	*cap = n;
	return 1;
}

int caps_parse(const char *list, uint64_t *set, const char **bad, size_t *badlen)
{
	char word[CAP_LABEL_MAX];
	uint64_t found = 0, one;
	unsigned cap;

	if (strcasecmp(list, "none") == 0) {
		*set = 0;
		return 1;
	}
	/* Word by word: a name (cap_ optional) or cap_N. */
	for (;;) {
		size_t len = strcspn(list, ",");

		if (cap_number(list, len, &cap)) {
			found |= CAP_BIT(cap);
		} else {
			if (len >= sizeof word) {
				*bad = list;
				*badlen = len;
				return 0;
			}
			memcpy(word, list, len);
			word[len] = '\0';
			if (!names_parse(word, cap_names, CAPS_NAMED, "cap_", &one, bad, badlen)) {
				*bad = list;
				return 0;
			}
			found |= one;
		}
		list += len;
		if (*list == '\0')
			break;
		list++;
	}
	*set = found;
	return 1;
}

int caps_last(void)
{
	char buf[16];
	unsigned long n;
	int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	ssize_t r;
	size_t used;

	if (fd < 0)
		return -1;
	r = read_intr(fd, buf, sizeof buf - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	used = scan_ulong(buf, &n);
	if (!used || n >= CAPS_MAX || (buf[used] != '\n' && buf[used] != '\0')) {
		errno = EINVAL;
		return -1;
	}
	return (int)n;
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
