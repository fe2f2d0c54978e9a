/* Unit tests for cgroup.c: mountinfo and /proc/PID/cgroup lines, names, and (as root, with cgroup v2) a live service cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "notify.h"
#include "tap.h"

static char mnt[CGROUP_PATH_MAX], root[CGROUP_PATH_MAX];

#define MI(lit) cgroup_mountinfo_line(lit, sizeof lit - 1, mnt, root)

/* Waits up to ms for POLLPRI on the events descriptor. */
static int events_wake(const struct cgroup *cg, int ms)
{
	struct pollfd pf;

	pf.fd = cg->events_fd;
	pf.events = POLLPRI;
	return poll(&pf, 1, ms) == 1 && (pf.revents & (POLLPRI | POLLERR));
}

/* Waits up to 5 s, event-driven, for populated to become want. */
static int wait_populated(const struct cgroup *cg, int want)
{
	struct timespec t0, t;
	int left = 5000;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (cgroup_populated(cg) != want) {
		if (left <= 0)
			return 0;
		events_wake(cg, left);
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = 5000 - (int)((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
	}
	return 1;
}

static int count_procs(const struct cgroup *cg)
{
	char buf[4096];
	int fd = openat(cg->dir_fd, "cgroup.procs", O_RDONLY | O_CLOEXEC), n = 0;
	ssize_t r, i;

	while (fd >= 0 && (r = read(fd, buf, sizeof buf)) > 0)
		for (i = 0; i < r; i++)
			n += buf[i] == '\n';
	if (fd >= 0)
		close(fd);
	return n;
}

/* Forks ./run-like child in cg running a shell command; its pid. */
static pid_t run_in(const struct cgroup *cg, const char *cmd)
{
	pid_t p = fork();

	if (p == 0) {
		if (cgroup_enter_self(cg) < 0)
			_exit(111);
		execl("/bin/sh", "sh", "-c", cmd, (char *)0);
		_exit(111);
	}
	return p;
}

static struct cgroup *live;

/* Whatever happens, leave no process and no cgroup behind. */
static void cleanup(void)
{
	if (live && live->dir_fd >= 0) {
		live->has_kill = 1;
		cgroup_kill(live);
		usleep(100000);
		cgroup_remove(live);
	}
}

static void reap_all(void)
{
	while (waitpid(-1, 0, WNOHANG) > 0)
		;
}

/* Waits until exactly want processes are in the cgroup (forks settled). */
static int has_proc(const struct cgroup *cg, int want)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (count_procs(cg) == want)
			return 1;
		usleep(10000);
	}
	return 0;
}

int main(void)
{
	char rel[CGROUP_PATH_MAX], path[CGROUP_PATH_MAX], name[CGROUP_NAME_MAX], want[CGROUP_PATH_MAX + CGROUP_NAME_MAX + 2], cwd[512];
	char dir[] = "/tmp/rng-cgroup.XXXXXX", sub[CGROUP_PATH_MAX + 16];
	struct cgroup cg, cg2;
	struct stat st;
	int n, status;
	pid_t kid;

	setvbuf(stdout, 0, _IOLBF, 0); /* a test killed by a timeout still shows how far it got */
	/* mountinfo lines */
	ok(MI("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw") == 1 &&
	    strcmp(mnt, "/sys/fs/cgroup/unified") == 0 && strcmp(root, "/") == 0, "hybrid: unified");
	ok(MI("36 25 0:31 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate") == 1 &&
	    strcmp(mnt, "/sys/fs/cgroup") == 0, "pure v2 with an optional field");
	ok(MI("36 25 0:31 / /sys/fs/cgroup ro,nosuid shared:9 - cgroup2 cgroup2 rw") == 0, "read-only mount: no");
	ok(MI("36 25 0:31 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 ro") == 0, "read-only superblock: no");
	ok(MI("32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu") == 0, "cgroup v1: no");
	ok(MI("50 1 0:40 /lxc/c1 /mnt/c\\040g rw master:3 shared:4 - cgroup2 none rw") == 1 &&
	    strcmp(mnt, "/mnt/c g") == 0 && strcmp(root, "/lxc/c1") == 0, "escapes undone, root kept");
	ok(MI("50 1 0:40 / /x rw shared:4 cgroup2 none rw") == 0, "no separator: no");
	ok(MI("50 1 0:40 / /x rw -") == 0 && MI("") == 0 && MI("50 1") == 0, "truncated: no");
	ok(MI("50 1 0:40 / /x rwx - cgroup2 none rw") == 0, "rwx is not rw");

	/* /proc/PID/cgroup */
	ok(cgroup_v2_path("9:name=systemd:/\n0::/a/b\n", 24, rel) == 1 && strcmp(rel, "/a/b") == 0, "0:: line");
	ok(cgroup_v2_path("0::/\n", 5, rel) == 1 && strcmp(rel, "/") == 0, "root cgroup");
	ok(cgroup_v2_path("1:cpu:/x\n", 9, rel) == 0, "v1 only: none");
	ok(cgroup_v2_path("0::\n", 4, rel) == 0 && cgroup_v2_path("0::x\n", 5, rel) == 0, "empty or relative: none");
	ok(cgroup_v2_path("0::/a", 5, rel) == 1 && strcmp(rel, "/a") == 0, "no final newline");

	/* names */
	if (!mkdtemp(dir))
		return perror(dir), 1;
	snprintf(path, sizeof path, "%s/my svc:1", dir);
	snprintf(sub, sizeof sub, "%s/log", path);
	ok(mkdir(path, 0755) == 0 && mkdir(sub, 0755) == 0 && chdir(path) == 0, "service directory with odd bytes");
	stat(".", &st);
	snprintf(want, sizeof want, "my_svc_1@%llx-%llx", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	ok(cgroup_name(name, ".") == 0, "name of .");
	is_str(name, want, "BASE@DEV-INO, odd bytes as _");
	stat("log", &st);
	snprintf(want, sizeof want, "my_svc_1.log@%llx-%llx", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	ok(cgroup_name(name, "log") == 0, "name of log");
	is_str(name, want, "the log slot: BASE.log@DEV-INO, its own inode");
	ok(cgroup_name(name, "nothere") == -1 && errno == ENOENT, "missing directory: ENOENT");
	{
		char lng[200];
		memset(lng, 'n', 150);
		lng[150] = 0;
		ok(mkdir(lng, 0755) == 0 && chdir(lng) == 0 && cgroup_name(name, ".") == 0 &&
		    strchr(name, '@') - name == 64 && strlen(name) < CGROUP_NAME_MAX, "BASE cut to 64 bytes");
	}
	ok(getcwd(cwd, sizeof cwd) != 0 && chdir("/") == 0, "back to /");
	{
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			perror(cmd);
	}

	cg.dir_fd = -1;
	ok(cgroup_open(&cg, "a/b") == -1 && errno == EINVAL && cgroup_open(&cg, "..") == -1 &&
	    cgroup_open(&cg, "") == -1 && errno == EINVAL, "names with / or dots refused");

	/* live */
	if (geteuid() != 0 || cgroup_parent(path, rel) < 0 || access(path, W_OK) < 0) {
		ok(1, "# skip live cgroup tests: need root and a writable cgroup v2 (%s)", strerror(errno));
		return done_testing();
	}
	ok(path[0] == '/' && rel[0] == '/' && stat(path, &st) == 0 && S_ISDIR(st.st_mode), "parent: %s (%s)", path, rel);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	snprintf(name, sizeof name, "rng-unit-%d", (int)getpid());
	ok(cgroup_open(&cg, name) == 0, "created %s", cg.path);
	live = &cg;
	atexit(cleanup);
	ok(stat(cg.path, &st) == 0 && S_ISDIR(st.st_mode) && cg.dir_fd >= 0 && cg.procs_fd >= 0 && cg.events_fd >= 0,
	    "directory and descriptors");
	ok((fcntl(cg.dir_fd, F_GETFD) & FD_CLOEXEC) && (fcntl(cg.procs_fd, F_GETFD) & FD_CLOEXEC) &&
	    (fcntl(cg.events_fd, F_GETFD) & FD_CLOEXEC), "all close-on-exec");
	snprintf(want, sizeof want, "%s/%s", strcmp(rel, "/") ? rel : "", name);
	is_str(cg.rel, want, "rel is the parent's cgroup + name");
	ok(cgroup_populated(&cg) == 0, "empty at first");
	ok(!events_wake(&cg, 0), "no wake-up while nothing changes");

	/* a ./run with children, one double-forked away */
	kid = run_in(&cg, "sleep 1000 & setsid sleep 1000 & sh -c 'sleep 1000 &'; exec sleep 1000");
	ok(has_proc(&cg, 4), "./run and its 3 daemons are in the cgroup");
	ok(events_wake(&cg, 5000) && cgroup_populated(&cg) == 1, "POLLPRI woke, populated 1");
	ok(!events_wake(&cg, 0), "reading rearmed it");
	{
		char buf[512], p[64];
		int fd;
		ssize_t r;
		snprintf(p, sizeof p, "/proc/%d/cgroup", (int)kid);
		fd = open(p, O_RDONLY);
		r = fd < 0 ? -1 : read(fd, buf, sizeof buf);
		ok(r > 0 && notify_cgroup_match(buf, (size_t)r, cg.rel), "/proc/PID/cgroup names cg.rel");
		if (fd >= 0)
			close(fd);
	}
	ok(cgroup_open(&cg2, name) == 0 && cgroup_populated(&cg2) == 1, "an existing cgroup is taken over, populated");
	cgroup_close(&cg2);
	ok(cgroup_remove(&cg) == -1 && errno == EBUSY && cg.dir_fd >= 0, "remove while populated: EBUSY, still open");
	n = cgroup_signal(&cg, SIGTERM);
	ok(n == 4, "TERM reached all 4 (got %d)", n);
	ok(wait_populated(&cg, 0), "populated 0, by POLLPRI");
	status = 0;
	for (n = 0; n < 500 && waitpid(kid, &status, WNOHANG) == 0; n++)
		usleep(10000);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "./run died of TERM");
	reap_all();

	/* TERM ignored: cgroup.kill */
	kid = run_in(&cg, "trap '' TERM; sleep 1000 & sh -c 'sleep 1000 &'; exec sleep 1000");
	ok(has_proc(&cg, 3), "3 processes ignoring TERM");
	ok(cgroup_signal(&cg, SIGTERM) == 3 && usleep(100000) == 0 && count_procs(&cg) == 3,
	    "TERM ignored: all still there");
	ok(cg.has_kill, "cgroup.kill present (Linux 5.14+)");
	ok(cgroup_kill(&cg) == 0 && wait_populated(&cg, 0), "cgroup_kill: empty");
	reap_all();

	/* the fallback without cgroup.kill, with a sub-cgroup the service made */
	snprintf(sub, sizeof sub, "%s/inner", cg.path);
	ok(mkdir(sub, 0755) == 0, "a sub-cgroup");
	kid = run_in(&cg, "trap '' TERM; sleep 1000 & exec sleep 1000");
	ok(has_proc(&cg, 2), "2 processes");
	{
		char procs[CGROUP_PATH_MAX + 32], num[32];
		int fd, len;
		pid_t s2 = fork();
		if (s2 == 0) {
			signal(SIGTERM, SIG_IGN);
			for (;;)
				pause();
		}
		snprintf(procs, sizeof procs, "%s/cgroup.procs", sub);
		fd = open(procs, O_WRONLY);
		len = snprintf(num, sizeof num, "%d", (int)s2);
		ok(fd >= 0 && write(fd, num, (size_t)len) == len, "a third process in the sub-cgroup");
		if (fd >= 0)
			close(fd);
	}
	cg.has_kill = 0;
	ok(cgroup_populated(&cg) == 1 && cgroup_kill(&cg) == 0 && wait_populated(&cg, 0),
	    "SIGKILL by cgroup.procs, sub-cgroup included: empty");
	reap_all();
	ok(cgroup_enter(&cg, -1) == -1 && errno == EINVAL, "enter: bad pid");
	kid = fork();
	if (kid == 0) {
		for (;;)
			pause();
	}
	ok(cgroup_enter(&cg, kid) == 0 && has_proc(&cg, 1), "enter from the parent");
	ok(cgroup_kill(&cg) == 0 && wait_populated(&cg, 0), "killed");
	reap_all();
	snprintf(path, sizeof path, "%s", cg.path);
	ok(cgroup_remove(&cg) == 0 && cg.dir_fd == -1, "removed, with its empty sub-cgroup");
	ok(stat(path, &st) == -1 && errno == ENOENT, "the directory is gone");
	cgroup_close(&cg);
	ok(cg.dir_fd == -1, "close after remove is harmless");
	return done_testing();
}
