/* cgroup.c: a cgroup v2 of its own for a service (kill-tree): find the hierarchy, create, enter, signal, kill, watch, remove. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "grow.h"
#include "io.h"
#include "num.h"

#define CGROUP_BASE_MAX 64
#define CGROUP_DEPTH_MAX 16   /* sub-cgroups walked below the service's */
#define CGROUP_ROUNDS_MAX 32  /* cgroup_signal's re-reads of cgroup.procs */
#define CGROUP_RECLAIM_WAIT_MS 2000 /* a renamed service's leftovers, KILLed, to be gone */

/* The n-th blank-separated field of line, or NULL; *flen its length. */
static const char *field(const char *line, size_t len, int n, size_t *flen)
{
	const char *p = line, *end = line + len, *q;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			return 0;
		for (q = p; q < end && *q != ' '; q++)
			;
		if (n-- == 0) {
			*flen = (size_t)(q - p);
			return p;
		}
		p = q;
	}
}

/* Copies a mountinfo field, undoing its octal escapes (\040 for a blank). */
static int unescape(char out[CGROUP_PATH_MAX], const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\' && i + 3 < n &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			c = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		}
		if (o + 1 >= CGROUP_PATH_MAX)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

static int begins_rw(const char *s, size_t n)
{
	return n >= 2 && s[0] == 'r' && s[1] == 'w' && (n == 2 || s[2] == ',');
}

/* 1 when the mountinfo line is a cgroup2 mount (*rw says if read-write). */
static int cgroup2_line(const char *line, size_t len, int *rw, const char **mp, size_t *mplen,
    const char **rootp, size_t *rootlen)
{
	const char *f, *opts;
	size_t n, optlen;
	int i;

	*rootp = field(line, len, 3, rootlen);
	*mp = field(line, len, 4, mplen);
	opts = field(line, len, 5, &optlen);
	if (!*rootp || !*mp || !opts)
		return 0;
	/* optional fields up to "-", then type, source, superblock options */
	for (i = 6; (f = field(line, len, i, &n)) != 0; i++)
		if (n == 1 && f[0] == '-')
			break;
	if (!f)
		return 0;
	f = field(line, len, i + 1, &n);
	if (!f || n != 7 || memcmp(f, "cgroup2", 7) != 0)
		return 0;
	f = field(line, len, i + 3, &n);
	*rw = begins_rw(opts, optlen) && f && begins_rw(f, n);
	return 1;
}

int cgroup_mountinfo_line(const char *line, size_t len, char mnt[CGROUP_PATH_MAX],
    char root[CGROUP_PATH_MAX])
{
	const char *mp, *rp;
	size_t mplen, rootlen;
	int rw;

	if (!cgroup2_line(line, len, &rw, &mp, &mplen, &rp, &rootlen) || !rw)
		return 0;
	if (unescape(mnt, mp, mplen) < 0 || unescape(root, rp, rootlen) < 0)
		return 0;
	return mnt[0] == '/' && root[0] == '/';
}

const char *cgroup_v2_find(const char *text, size_t len, size_t *n)
{
	const char *p = text, *end = text + len, *nl;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl - p >= 3 && memcmp(p, "0::", 3) == 0) {
			*n = (size_t)(nl - p - 3);
			return p + 3;
		}
	}
	return 0;
}

int cgroup_v2_path(const char *text, size_t len, char rel[CGROUP_PATH_MAX])
{
	size_t n;
	const char *p = cgroup_v2_find(text, len, &n);

	if (!p || n == 0 || p[0] != '/' || n >= CGROUP_PATH_MAX)
		return 0;
	memcpy(rel, p, n);
	rel[n] = '\0';
	return 1;
}

/* A line of mountinfo or /proc/self/cgroup: the longest wanted one is a
 * path of CGROUP_PATH_MAX and its prefix. Longer lines (an overlay with
 * many layers) are skipped. Small, since runsv keeps the stack it touches. */
#define CGROUP_LINE_MAX (CGROUP_PATH_MAX + 64)

struct mount_search {
	char *mnt, *root;
	int saw_ro;
};

static int mount_line(const char *line, size_t len, void *ctx)
{
	struct mount_search *m = ctx;
	const char *mp, *rp;
	size_t ml, rl;
	int rw;

	if (!cgroup2_line(line, len, &rw, &mp, &ml, &rp, &rl))
		return 0;
	if (!rw) {
		m->saw_ro = 1;
		return 0;
	}
	return cgroup_mountinfo_line(line, len, m->mnt, m->root);
}

/* Finds the first read-write cgroup2 mount: 0, or -1 with ENOENT (none) or
 * EROFS (only read-only ones). */
static int find_mount(char mnt[CGROUP_PATH_MAX], char root[CGROUP_PATH_MAX])
{
	char buf[CGROUP_LINE_MAX];
	struct mount_search m = { mnt, root, 0 };
	int r = lines_read("/proc/self/mountinfo", buf, sizeof buf, mount_line, &m);

	if (r < 0)
		return -1;
	if (r == 0)
		errno = m.saw_ro ? EROFS : ENOENT;
	return r ? 0 : -1;
}

static int v2_line(const char *line, size_t len, void *rel)
{
	return len >= 3 && memcmp(line, "0::", 3) == 0 ? 1 + !cgroup_v2_path(line, len, rel) : 0;
}

/* out (CGROUP_PATH_MAX) += sep + b, or -1 ENAMETOOLONG */
static int append(char out[CGROUP_PATH_MAX], const char *sep, const char *b)
{
	size_t la = strlen(out), ls = strlen(sep), lb = strlen(b);

	if (la + ls + lb >= CGROUP_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(out + la, sep, ls);
	memcpy(out + la + ls, b, lb + 1);
	return 0;
}

int cgroup_parent(char path[CGROUP_PATH_MAX], char rel[CGROUP_PATH_MAX])
{
	char buf[CGROUP_LINE_MAX], root[CGROUP_PATH_MAX];
	const char *below;
	size_t rl, ml;
	int r;

	r = lines_read("/proc/self/cgroup", buf, sizeof buf, v2_line, rel);
	if (r < 0)
		return -1;
	if (r != 1) {
		errno = ENOENT;
		return -1;
	}
	if (find_mount(path, root) < 0)
		return -1;
	rl = strlen(root);
	if (rl == 1) {
		below = rel;
	} else if (strncmp(rel, root, rl) == 0 && (rel[rl] == '/' || rel[rl] == '\0')) {
		below = rel + rl;
	} else {
		errno = ENOENT;
		return -1;
	}
	if (strcmp(below, "/") == 0 || below[0] == '\0')
		below = "";
	ml = strlen(path);
	if (ml + strlen(below) >= CGROUP_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memmove(path + ml, below, strlen(below) + 1);
	return 0;
}

/* Appends the bytes of s[0..n) that a cgroup name keeps, others as '_'. */
static size_t put_base(char *out, size_t o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && o < CGROUP_BASE_MAX; i++) {
		char c = s[i];
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
		out[o++] = keep ? c : '_';
	}
	return o;
}

static const char *last_component(const char *s, size_t *n)
{
	size_t len = strlen(s);
	const char *p;

	while (len > 1 && s[len - 1] == '/')
		len--;
	for (p = s + len; p > s && p[-1] != '/'; p--)
		;
	*n = (size_t)(s + len - p);
	return p;
}

int cgroup_name(char out[CGROUP_NAME_MAX], const char *dir)
{
	char cwd[256]; /* only the last component is kept, and dev-ino tells apart */
	const char *c;
	struct stat st;
	size_t n, o;

	if (stat(dir, &st) < 0)
		return -1;
	if (getcwd(cwd, sizeof cwd))
		c = last_component(cwd, &n);
	else if (errno == ERANGE)
		c = cwd, n = 0; /* too deep to name: dev-ino alone */
	else
		return -1;
	if (n == 1 && c[0] == '/')
		n = 0;
	o = put_base(out, 0, c, n);
	if (strcmp(dir, ".") != 0) {
		c = last_component(dir, &n);
		if (o < CGROUP_BASE_MAX)
			out[o++] = '.';
		o = put_base(out, o, c, n);
	}
	out[o++] = '@';
	o += fmt_xullong(out + o, (unsigned long long)st.st_dev);
	out[o++] = '-';
	o += fmt_xullong(out + o, (unsigned long long)st.st_ino);
	return 0;
}

void cgroup_close(struct cgroup *cg)
{
	if (cg->procs_fd >= 0)
		close(cg->procs_fd);
	if (cg->events_fd >= 0)
		close(cg->events_fd);
	if (cg->dir_fd >= 0)
		close(cg->dir_fd);
	cg->dir_fd = cg->procs_fd = cg->events_fd = -1;
}

int cgroup_open(struct cgroup *cg, const char *name)
{
	int created = 1, e;

	cg->dir_fd = cg->procs_fd = cg->events_fd = -1;
	cg->has_kill = 0;
	if (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		errno = EINVAL;
		return -1;
	}
	/* the parent's path and rel are built in place, then the name appended */
	if (cgroup_parent(cg->path, cg->rel) < 0)
		return -1;
	if (strcmp(cg->rel, "/") == 0)
		cg->rel[0] = '\0';
	if (append(cg->path, "/", name) < 0 || append(cg->rel, "/", name) < 0)
		return -1;
	if (mkdir(cg->path, 0755) < 0) {
		if (errno != EEXIST)
			return -1;
		created = 0;
	}
	cg->dir_fd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->dir_fd < 0)
		goto fail;
	cg->procs_fd = openat(cg->dir_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (cg->procs_fd < 0)
		goto fail;
	cg->events_fd = openat(cg->dir_fd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	if (cg->events_fd < 0)
		goto fail;
	cg->has_kill = faccessat(cg->dir_fd, "cgroup.kill", F_OK, 0) == 0;
	return 0;
fail:
	e = errno;
	cgroup_close(cg);
	if (created)
		(void)rmdir(cg->path);
	errno = e;
	return -1;
}

int cgroup_enter_self(const struct cgroup *cg)
{
	ssize_t w;

	do
		w = write(cg->procs_fd, "0", 1);
	while (w < 0 && errno == EINTR);
	return w == 1 ? 0 : -1;
}

int cgroup_try_enter(const struct cgroup *cg)
{
	pid_t pid = fork();
	int w;

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(cgroup_enter_self(cg) < 0 ? (errno > 0 && errno < 256 ? errno : EACCES) : 0);
	while (waitpid(pid, &w, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(w) && WEXITSTATUS(w) == 0)
		return 0;
	errno = WIFEXITED(w) ? WEXITSTATUS(w) : EINTR;
	return -1;
}

int cgroup_wait_empty(const struct cgroup *cg, int ms)
{
	struct pollfd p;
	struct timespec now;
	long long end;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &now);
	end = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000 + ms;
	while ((r = cgroup_populated(cg)) == 1) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (int)(end - ((long long)now.tv_sec * 1000 + now.tv_nsec / 1000000));
		if (ms <= 0) {
			errno = EBUSY;
			return -1;
		}
		p.fd = cg->events_fd;
		p.events = POLLPRI;
		p.revents = 0;
		if (poll(&p, 1, ms) < 0 && errno != EINTR)
			return -1;
	}
	return r < 0 ? -1 : 0;
}

int cgroup_enter(const struct cgroup *cg, pid_t pid)
{
	char num[FMT_ULONG];
	size_t n;

	if (pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	n = fmt_ulong(num, (unsigned long)pid);
	return write_all(cg->procs_fd, num, n);
}

/* The pids cgroup_signal has signalled in this call: one bit per pid, as
 * many bytes as the highest pid seen needs (at most pid_max / 8: 512 KiB
 * for 2^22), on the heap only for the call. */
struct seen {
	unsigned char *bit;
	size_t cap;   /* bytes allocated */
	size_t used;  /* bytes zeroed so far */
	int fresh;    /* processes signalled in this round */
	int total;    /* processes signalled in this call */
};

/* Marks pid; 1 if it was marked already. */
static int seen_mark(struct seen *s, pid_t pid)
{
	size_t byte = (size_t)pid / 8;
	unsigned char mask = (unsigned char)(1u << ((unsigned)pid % 8));

	if (byte >= s->used) {
		if (byte >= s->cap && grow(&s->bit, &s->cap, byte + 1, 1, 4096) < 0)
			return 0; /* no memory: better twice than never */
		memset(s->bit + s->used, 0, s->cap - s->used);
		s->used = s->cap;
	}
	if (s->bit[byte] & mask)
		return 1;
	s->bit[byte] |= mask;
	return 0;
}

static void signal_pid(pid_t pid, int sig, struct seen *s)
{
	if (seen_mark(s, pid))
		return;
	if (kill(pid, sig) < 0)
		return; /* ESRCH: gone meanwhile */
	s->fresh++;
	s->total++;
}

/* Signals the pids listed in dirfd's cgroup.procs. */
static int signal_procs(int dirfd, int sig, struct seen *s)
{
	char buf[512];
	unsigned long pid = 0;
	int fd, digits = 0;
	ssize_t r, i;

	fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((r = read_intr(fd, buf, sizeof buf)) > 0)
		for (i = 0; i < r; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				if (pid < (unsigned long)INT_MAX)
					pid = pid * 10 + (unsigned long)(buf[i] - '0');
				digits = 1;
			} else {
				if (digits && pid > 0 && pid <= (unsigned long)INT_MAX)
					signal_pid((pid_t)pid, sig, s);
				pid = 0;
				digits = 0;
			}
		}
	if (digits && pid > 0 && pid <= (unsigned long)INT_MAX)
		signal_pid((pid_t)pid, sig, s);
	close(fd);
	return r < 0 ? -1 : 0;
}

struct dirent64_linux {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * Calls fn on every sub-cgroup of dirfd (depth first, children before
 * the call on the parent returns). fn gets the parent's fd and the name.
 */
static int each_child(int dirfd, int depth, int (*fn)(int, const char *, int, void *), void *arg)
{
	union {
		uint64_t align;
		char b[1024];
	} buf;
	long n, off;
	int fd, rc = 0;

	if (depth >= CGROUP_DEPTH_MAX)
		return 0;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = syscall(SYS_getdents64, fd, buf.b, sizeof buf.b)) > 0)
		for (off = 0; off < n;) {
			struct dirent64_linux *d = (struct dirent64_linux *)(buf.b + off);
			off += d->d_reclen;
			if (d->d_type != DT_DIR || strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			if (fn(fd, d->d_name, depth + 1, arg) < 0)
				rc = -1;
		}
	if (n < 0)
		rc = -1;
	close(fd);
	return rc;
}

struct walk_signal {
	int sig;
	struct seen *seen;
};

static int signal_tree_at(int dirfd, int depth, struct walk_signal *w);

static int signal_child(int parent, const char *name, int depth, void *arg)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1; /* removed meanwhile */
	rc = signal_tree_at(fd, depth, arg);
	close(fd);
	return rc;
}

static int signal_tree_at(int dirfd, int depth, struct walk_signal *w)
{
	int rc = signal_procs(dirfd, w->sig, w->seen);

	if (each_child(dirfd, depth, signal_child, w) < 0)
		rc = -1;
	return rc;
}

int cgroup_signal(const struct cgroup *cg, int sig)
{
	struct seen s = { 0, 0, 0, 0, 0 };
	struct walk_signal w;
	int round, rc = 0;

	w.sig = sig;
	w.seen = &s;
	for (round = 0; round < CGROUP_ROUNDS_MAX; round++) {
		s.fresh = 0;
		if (signal_tree_at(cg->dir_fd, 0, &w) < 0 && round == 0 && s.total == 0) {
			rc = -1;
			break;
		}
		if (s.fresh == 0)
			break;
	}
	free(s.bit);
	return rc < 0 ? -1 : s.total;
}

int cgroup_kill(const struct cgroup *cg)
{
	int fd, e;

	if (cg->has_kill) {
		fd = openat(cg->dir_fd, "cgroup.kill", O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (write_all(fd, "1", 1) == 0) {
				close(fd);
				return 0;
			}
			e = errno;
			close(fd);
			errno = e;
		}
	}
	return cgroup_signal(cg, SIGKILL) < 0 ? -1 : 0;
}

int cgroup_populated(const struct cgroup *cg)
{
	char buf[256];
	const char *p;
	ssize_t n;

	do
		n = pread(cg->events_fd, buf, sizeof buf - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, "populated ")) != 0; p++)
		if ((p == buf || p[-1] == '\n') && (p[10] == '0' || p[10] == '1'))
			return p[10] == '1';
	errno = EPROTO;
	return -1;
}

static int remove_child(int parent, const char *name, int depth, void *arg)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	(void)each_child(fd, depth, remove_child, arg);
	close(fd);
	return unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -1 : 0;
}

int cgroup_remove(struct cgroup *cg)
{
	if (cg->dir_fd < 0) {
		errno = EBADF;
		return -1;
	}
	(void)each_child(cg->dir_fd, 0, remove_child, 0);
	if (rmdir(cg->path) < 0)
		return -1;
	cgroup_close(cg);
	return 0;
}

/* One sibling a renamed service left: KILLed, waited for, removed. */
static int reclaim_one(const char *parent, const char *name)
{
	struct cgroup old;
	int r;

	old.path[0] = old.rel[0] = '\0';
	old.procs_fd = -1;
	if (append(old.path, "", parent) < 0 || append(old.path, "/", name) < 0)
		return -1;
	old.dir_fd = open(old.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (old.dir_fd < 0)
		return -1;
	old.events_fd = openat(old.dir_fd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	old.has_kill = faccessat(old.dir_fd, "cgroup.kill", F_OK, 0) == 0;
	if (old.events_fd >= 0 && cgroup_populated(&old) == 1) {
		(void)cgroup_kill(&old);
		(void)cgroup_wait_empty(&old, CGROUP_RECLAIM_WAIT_MS);
	}
	r = cgroup_remove(&old);
	cgroup_close(&old);
	return r;
}

int cgroup_reclaim_renamed(const struct cgroup *cg, const char *name,
    void (*told)(const char *path, int err, void *arg), void *arg)
{
	union {
		uint64_t align;
		char b[2048];
	} buf;
	char parent[CGROUP_PATH_MAX], path[CGROUP_PATH_MAX];
	const char *tag = strchr(name, '@'), *slash = strrchr(cg->path, '/');
	size_t tl, pl;
	long n, off;
	int fd, count = 0;

	if (!tag || !slash)
		return 0;
	tl = strlen(tag);
	pl = (size_t)(slash - cg->path);
	memcpy(parent, cg->path, pl);
	parent[pl] = '\0';
	fd = open(pl ? parent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = syscall(SYS_getdents64, fd, buf.b, sizeof buf.b)) > 0)
		for (off = 0; off < n;) {
			struct dirent64_linux *d = (struct dirent64_linux *)(buf.b + off);
			size_t dl = strlen(d->d_name);

			off += d->d_reclen;
			if (d->d_type != DT_DIR || dl <= tl || strcmp(d->d_name + dl - tl, tag) != 0 ||
			    strcmp(d->d_name, name) == 0)
				continue;
			path[0] = '\0';
			if (append(path, "", parent) < 0 || append(path, "/", d->d_name) < 0)
				continue;
			told(path, reclaim_one(parent, d->d_name) < 0 ? errno : 0, arg);
			count++;
		}
	close(fd);
	return count;
}

