/* runsv.c: supervises one service directory (./run, ./finish) and its optional log service. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "control.h"
#include "diag.h"
#include "errstr.h"
#include "instance.h"
#include "io.h"
#include "loop.h"
#include "needwait.h"
#include "notify.h"
#include "num.h"
#include "pgrp.h"
#include "runsv_phase.h"
#include "signame.h"
#include "status.h"
#include "svfile.h"
#include "svinfo.h"
#include "tai.h"

extern char **environ;

static struct slot slots[2]; /* [0] main, [1] log */
/*
 * What only kill-tree and notify need, for both slots: kilobytes of path,
 * text and datagram buffers. They are mapped when first needed, so that the pages
 * of a runsv that uses neither hold only its small, hot state.
 */
static struct cold {
	char text[2][SVINFO_TEXT_MAX]; /* STATUS= (first: with dgram, one page for notify) */
	char dgram[NOTIFY_DGRAM_MAX];  /* the datagram being read */
	struct cgroup cg[2];           /* made and opened by prepare_tree */
} *cold;
#define CG(s) (&cold->cg[(s)->is_log])

static int cold_area(void)
{
	void *p;

	if (cold)
		return 1;
	p = mmap(0, sizeof *cold, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		warn(errno, "unable to map memory for kill-tree and STATUS=");
		return 0;
	}
	cold = p;
	return 1;
}
static int log_enabled;
static int logpipe[2];

/* Replaces DIR/NAME; warns in runit's words. Returns status_replace's step. */
static int replace_file(const struct slot *s, const char *name, const void *data, size_t len)
{
	int r = status_replace_at(s->dir_fd, name, data, len);

	switch (r) {
	case 1:
		warn(errno, "unable to open ", s->dir, "/", name, ".new");
		break;
	case 2:
		warn(errno, "unable to write ", s->dir, "/", name, ".new");
		break;
	case 3:
		warn(DIAG_NOERR, "unable to write ", s->dir, "/", name, ".new: partial write.");
		break;
	case 4:
		warn(errno, "unable to rename ", name, ".new to ", s->dir, "/", name);
		break;
	}
	return r;
}

static struct instance *instance; /* set for a templated instance (find_template) */
static unsigned long info_writes; /* update_info calls, for apply_notify */

/* needs (needwait.h): one wait at a time, the main slot's. The service
 * directory and the one that holds it as runsv was given it (O_PATH),
 * and its name there; home_fd -1 when they could not be opened. */
static struct needwait needs_wait;
static int home_fd = -1, parent_fd = -1;
static const char *self_name;

/* info's readiness_error for a notify socket that could not be made. */
static void readiness_error(char out[SVINFO_ERROR_MAX], int e)
{
	static const char head[] = "unable to create the notify socket: ";
	const char *why = errstr(e);
	size_t n = sizeof head - 1, m = strlen(why);

	if (n + m >= SVINFO_ERROR_MAX)
		m = SVINFO_ERROR_MAX - 1 - n;
	memcpy(out, head, n);
	memcpy(out + n, why, m);
	out[n + m] = 0;
}

/* An instance's names in info, cut at SVINFO_NAME_MAX - 1 bytes. */
static void copy_name(char out[SVINFO_NAME_MAX], const char *name)
{
	size_t n = strnlen(name, SVINFO_NAME_MAX - 1);

	memcpy(out, name, n);
	out[n] = 0;
}

/* FNV-1a: what info holds is known by its sum and length. */
static uint64_t bytes_sum(const char *buf, size_t len)
{
	uint64_t sum = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++)
		sum = (sum ^ (unsigned char)buf[i]) * 1099511628211ULL;
	return sum;
}

/*
 * Is in, the info of a start, what readers derive (svinfo_derive_start)
 * from the info on disk, written when the slot went down and announced
 * this start? The down record is rebuilt from in (in place: the frame
 * stays small), compared with what was written by sum, and derived back
 * with the status record runsv is about to write, as a reader will.
 */
static int start_announced(const struct slot *s, struct svinfo *in, char *buf)
{
	uint32_t pid = in->pid;
	struct sv_status st;
	size_t len;
	int same;

	if (!s->info_len || !s->info_announces || !pid || in->next_due || !in->starts ||
	    in->status_text[0] || in->ready || in->main_pid || in->gave_up)
		return 0;
	in->pid = 0;
	in->since = s->info_since;
	in->starts--;
	in->next_due = 1;
	len = svinfo_format(buf, in);
	same = len == s->info_len && bytes_sum(buf, len) == s->info_sum;
	slot_record(s, &st);
	if (same && svinfo_derive_start(in, &st) && in->pid == pid)
		return 1;
	in->pid = pid; /* as it was: pid, since, starts, no next start */
	in->since = s->stamp;
	in->starts = s->info.starts;
	in->next_due = 0;
	return 0;
}

/* supervise/info: what status cannot hold, with status's pid and stamp so
 * that readers can tell it belongs to the record they read. Not inlined:
 * its record and buffer (about 3 KiB) would otherwise widen the frame of
 * every caller, and the calls below those callers would reach stack pages
 * runsv never touches otherwise (its PSS is measured in bench/runsv.sh). */
/* While serve_notify reads a batch of datagrams, info is written once, at
 * its end, however many facts the batch changes: at most one rewrite per
 * wake-up for what the service sends. */
static int info_deferred;  /* in a batch */
static int info_pending;   /* a rewrite is owed at its end */

__attribute__((noinline)) static void write_info(struct slot *s);

static void update_info(struct slot *s)
{
	if (info_deferred) {
		info_pending = 1;
		return;
	}
	write_info(s);
}

__attribute__((noinline)) static void write_info(struct slot *s)
{
	const struct facts *f = &s->info;
	struct svinfo in;
	char buf[SVINFO_MAX];
	uint64_t sum;
	size_t len;

	info_writes++;
	in.pid = (uint32_t)s->pid;
	in.since = s->stamp;
	in.starts = f->starts;
	in.exit_kind = f->exit_kind;
	in.exit_value = f->exit_value;
	in.exit_at = f->exit_at;
	in.readiness = f->readiness;
	in.ready = f->ready;
	in.ready_since = f->ready_since;
	in.kill = f->kill;
	in.main_pid = f->main_pid;
	in.next_due = (s->phase == P_HOLD || s->phase == P_DOWN) && (s->want == WANT_UP || s->once);
	if (in.next_due && s->phase == P_DOWN)
		tain_now(&s->info.next_start); /* the start step starts it now */
	in.next_start = f->next_start;
	in.gave_up = s->phase == P_GAVE_UP ? s->hist.gave_up : 0;
	in.template_name[0] = in.instance[0] = 0;
	if (instance) {
		copy_name(in.template_name, instance->name);
		copy_name(in.instance, instance->inst);
	}
	in.status_text[0] = in.cgroup[0] = in.readiness_error[0] = 0;
	if (f->notify_errno)
		readiness_error(in.readiness_error, f->notify_errno);
	if (s->text)
		memcpy(in.status_text, s->text, sizeof in.status_text);
	if (f->kill == SVINFO_KILL_CGROUP)
		memcpy(in.cgroup, CG(s)->path, sizeof in.cgroup);
	in.oneshot = f->oneshot;
	in.waiting = s->phase == P_WAIT_NEEDS;
	in.waiting_count = needs_wait.not_ready;
	in.waiting_list[0] = 0;
	if (in.waiting)
		needwait_text(&needs_wait, in.waiting_list, sizeof in.waiting_list);
	if (start_announced(s, &in, buf))
		return; /* readers derive the start's info from what is there */
	len = svinfo_format(buf, &in);
	sum = bytes_sum(buf, len);
	if (len == s->info_len && sum == s->info_sum)
		return; /* the same bytes: it still matches the record, by pid and stamp */
	if (replace_file(s, SVINFO_FILE, buf, len) == 0) {
		s->info_len = len;
		s->info_sum = sum;
		s->info_announces = in.next_due && !in.pid;
		s->info_since = in.since;
	} else {
		s->info_len = 0; /* what is there is unknown: written next time */
	}
}

/* What each slot's pid, stat and status last held as runsv wrote them
 * (known: no failure since). Bytes other than those go straight to disk;
 * the same bytes, or any at startup, are first compared with the file, and
 * a rewrite that would change nothing is left out (runit rewrites stat
 * unchanged at x, and all three at a u, d, p or c that changes nothing):
 * no rename and no disk wear for it. A file changed or damaged by someone
 * else is not the same, and is replaced as runit would. */
enum { KEPT_PID, KEPT_STAT, KEPT_STATUS };
static struct kept {
	unsigned char known, len;
	char bytes[STAT_LINE_MAX];
} kept[2][3];

static int refresh_file(struct slot *s, int which, const char *name, const void *data, size_t len)
{
	struct kept *k = &kept[s - slots][which];
	int r = 0;

	if ((k->known && (k->len != len || memcmp(k->bytes, data, len) != 0)) ||
	    !status_holds_at(s->dir_fd, name, data, len))
		r = replace_file(s, name, data, len);
	k->known = r == 0;
	k->len = (unsigned char)len;
	memcpy(k->bytes, data, len);
	return r;
}

/* pid (when it changed), then info, then stat, then status; a pid or stat
 * file that cannot be created abandons the rest of this update, as runit
 * does (info is ours: its failure holds nothing back, and it comes before
 * stat so that the moment between stat and status stays as short as
 * runit's, for readers that wait on one and read the other). */
static void update_status(struct slot *s)
{
	char line[STAT_LINE_MAX > FMT_ULONG + 1 ? STAT_LINE_MAX : FMT_ULONG + 1];
	unsigned char rec[STATUS_SIZE];
	struct sv_status st;
	size_t len = 0;
	int r;

	if (slot_pid_changed) {
		if (s->pid) {
			len = fmt_ulong(line, (unsigned long)s->pid);
			line[len++] = '\n';
		}
		if (refresh_file(s, KEPT_PID, "pid", line, len) != 0)
			return;
		slot_pid_changed = 0;
	}
	write_info(s); /* with the status, in its order, batch or not */
	info_pending = 0;
	len = status_stat_line(line, phase_disk_state(s->phase), s->paused, s->term, s->want);
	r = refresh_file(s, KEPT_STAT, "stat", line, len);
	if (r == 1)
		return;
	slot_record(s, &st);
	status_pack(rec, &st);
	(void)refresh_file(s, KEPT_STATUS, "status", rec, sizeof rec);
}

/* A control byte's signal: to the process MAINPID named, if the service
 * named one, else to the child. */
static void send_signal(struct slot *s, int sig)
{
	if (!slot_has_child(s))
		return;
	if (s->main_fd >= 0 && !s->child_is_finish)
		(void)notify_main_signal(s->main_fd, sig);
	else
		kill(s->pid, sig);
}

/* A stop signal: to the child, or with kill-tree to its process group or
 * to every process of its cgroup (cgroup.kill for KILL); and to the
 * MAINPID process where those do not reach it. */
static void send_stop_signal(struct slot *s, int sig)
{
	int main_too = s->main_fd >= 0 && !s->child_is_finish &&
	    s->info.main_pid != (uint32_t)s->pid;

	switch (s->info.kill) {
	case SVINFO_KILL_CGROUP:
		if (sig == SIGKILL)
			(void)cgroup_kill(CG(s));
		else
			(void)cgroup_signal(CG(s), sig);
		return;
	case SVINFO_KILL_PGRP: /* the child leads it: its id is the pid on record */
		if (s->pid)
			kill(-s->pid, sig);
		main_too = main_too && getpgid((pid_t)s->info.main_pid) != s->pid;
		break;
	default: /* draining, only the MAINPID process is left */
		if (slot_has_child(s))
			kill(s->pid, sig);
		break;
	}
	if (main_too)
		(void)notify_main_signal(s->main_fd, sig);
}

/* Is nothing of the service left? A cgroup says so itself; a process
 * group is gone when no process in it is still running: a zombie has
 * ended, even when its parent escaped the group and never reaps it. */
static int tree_empty(struct slot *s)
{
	/* A MAINPID process other than ./run is watched until it ends, and
	 * the service is down only then, whatever else is gone. */
	if (s->main_fd >= 0)
		return 0;
	switch (s->info.kill) {
	case SVINFO_KILL_CGROUP:
		return cgroup_populated(CG(s)) != 1;
	case SVINFO_KILL_PGRP:
		return !s->pid || pgrp_alive(s->pid) == 0;
	default:
		return 1;
	}
}

/* The name runsv's messages give the slot's child. */
static const char *child_name(const struct slot *s)
{
	if (s->child_is_stop)
		return "./stop";
	if (s->child_is_finish)
		return "./finish";
	return s->is_log ? "log/run" : "./run";
}

static void report(struct slot *s, int what)
{
	switch (what) {
	case R_KILL_TIMEOUT:
		warn(DIAG_NOERR, child_name(s), " still runs after ", s->prefix, "timeout-kill, sending KILL");
		break;
	case R_FINISH_TIMEOUT:
		warn(DIAG_NOERR, child_name(s), " still runs after ", s->prefix, "timeout-finish, sending KILL");
		break;
	case R_WATCHDOG_SILENT:
		warn(DIAG_NOERR, child_name(s), " sent no WATCHDOG=1 within ", s->prefix, "watchdog-ms, stopping it");
		break;
	case R_WATCHDOG_TRIGGER:
		warn(DIAG_NOERR, child_name(s), " sent WATCHDOG=trigger, stopping it");
		break;
	case R_LEFTOVERS:
		if (s->info.kill == SVINFO_KILL_PROCESS)
			warn(DIAG_NOERR, child_name(s), " exited and left its MAINPID running, stopping it");
		else
			warn(DIAG_NOERR, child_name(s), " exited and left processes, stopping them (", s->prefix, "kill-tree)");
		break;
	case R_OLD_LEFTOVERS:
		warn(DIAG_NOERR, "stopping the processes left in ", CG(s)->path, " before ", child_name(s), " starts");
		break;
	case R_TREE_TIMEOUT:
		warn(DIAG_NOERR, "processes of ", child_name(s), " still run after ", s->prefix, "timeout-kill, sending KILL");
		break;
	case R_DEPS_TIMEOUT:
		warn(DIAG_NOERR, "services that need this one still run after 5 s, stopping ", child_name(s));
		break;
	case R_GAVE_UP:
		if (s->end.finish_code == RESTART_FINISH_GIVE_UP)
			warn(DIAG_NOERR, "./finish exited 125, giving up until sv up");
		else
			warn(DIAG_NOERR, s->is_log ? "log/run" : "./run", " reached ", s->prefix,
			    "restart-limit, giving up until sv up");
		break;
	}
}

/* One optional value file; a bad one is warned about and counts as absent.
 * *why is read here, after r was computed: passed by value in the same
 * call as the reader that sets it, it could be read first (the order of
 * evaluation of arguments is unspecified). */
static int config_file(const struct slot *s, const char *name, int r, const char *const *why)
{
	if (r == SVFILE_INVALID)
		warn(DIAG_NOERR, "ignoring ", s->prefix, name, ": ", *why ? *why : "invalid");
	else if (r == SVFILE_ERROR)
		warn(errno, "unable to read ", s->prefix, name);
	return r == SVFILE_OK;
}

static unsigned long config_ms(const struct slot *s, const char *name)
{
	const char *why = 0;
	unsigned long ms = 0;

	if (!config_file(s, name, svfile_read_ms(s->svc_fd, name, &ms, &why), &why))
		return 0;
	return ms;
}

/* restartpol_read's complaints, for the slot being read. */
static const struct slot *complaining;
static void complain_policy(const char *name, int r, const char *why)
{
	(void)config_file(complaining, name, r, &why);
}

/* kill-tree is a flag file; its content may choose: empty or "cgroup"
 * (a cgroup where one can be made, else a process group), or "pgrp" (a
 * process group even where cgroups work: the documented test hook). */
static enum tree_mode read_kill_tree(const struct slot *s)
{
	char value[SVFILE_VALUE_MAX + 1];
	const char *why = "neither cgroup nor pgrp";
	int r = svfile_read(s->svc_fd, "kill-tree", value, &why);

	if (r == SVFILE_ABSENT)
		return TREE_OFF;
	if (r == SVFILE_OK && !strcmp(value, "pgrp"))
		return TREE_PGRP;
	if (r == SVFILE_OK && !strcmp(value, "cgroup"))
		return TREE_AUTO;
	if (r == SVFILE_ERROR)
		warn(errno, "unable to read ", s->prefix, "kill-tree, using it as empty");
	else if (!(r == SVFILE_INVALID && !strcmp(why, "empty")))
		warn(DIAG_NOERR, "ignoring the content of ", s->prefix, "kill-tree: ", why);
	return TREE_AUTO;
}

/* The files are read at each start, so that an edit applies to the next
 * run without restarting runsv. */
static void read_config(struct slot *s, int finish)
{
	const char *why = 0;
	struct stat st;
	int sig = 0, fd;

	if (finish == SPAWN_STOP) {
		s->cfg.kill_ms = config_ms(s, "timeout-kill");
		return;
	}
	if (finish) {
		s->cfg.finish_ms = config_ms(s, "timeout-finish");
		return;
	}
	s->cfg.oneshot = !s->is_log && svfile_exists(s->svc_fd, "oneshot") == 1;
	s->cfg.kill_ms = config_ms(s, "timeout-kill");
	if (!config_file(s, "down-signal", svfile_read_signal(s->svc_fd, "down-signal", &sig, &why), &why))
		sig = 0;
	s->cfg.down_signal = sig;
	fd = notify_fd_read(s->svc_fd, &why);
	if (fd == NOTIFY_FD_INVALID)
		(void)config_file(s, NOTIFY_FD_FILE, SVFILE_INVALID, &why);
	else if (fd == -1)
		(void)config_file(s, NOTIFY_FD_FILE, SVFILE_ERROR, &why);
	s->cfg.notification_fd = fd >= 3 ? fd : 0;
	s->cfg.notify = svfile_stat(s->svc_fd, NOTIFY_FILE, &st) == 0;
	s->cfg.watchdog_ms = s->cfg.notify ? config_ms(s, "watchdog-ms") : 0;
	s->cfg.tree = read_kill_tree(s);
	complaining = s;
	restartpol_read(s->svc_fd, &s->pol, complain_policy);
}

static const char *notify_path(const struct slot *s)
{
	return s->is_log ? "log/" NOTIFY_SOCKET_PATH : NOTIFY_SOCKET_PATH;
}

/* The sd_notify socket, made once and kept for runsv's life: in the
 * runtime directory when the system made one (no rename reaches it, and
 * a ./run that changes user reaches it), else beside status, named
 * through /proc/PID/cwd (notify.h). A runtime directory that is there
 * but unsafe is told about, once. */
static int open_notify(struct slot *s)
{
	static int rundir_warned;
	struct stat st;

	if (lstat(NOTIFY_RUNDIR, &st) == 0) {
		if (notify_socket_open(&s->ns, notify_path(s), NOTIFY_RUNDIR) == 0)
			return 0;
		if (!rundir_warned)
			warn(errno, "unable to use ", NOTIFY_RUNDIR, ", making ", notify_path(s), " instead");
		rundir_warned = 1;
	}
	return notify_socket_open(&s->ns, notify_path(s), 0);
}

/* Before ./run's fork: the pipe and the socket its readiness needs. A
 * pipe that cannot be made is warned about, and that protocol is off for
 * this run. A socket that cannot be made leaves the service declaring
 * readiness and never ready in this run (no watchdog either): it must not
 * pass for ready because its channel failed; readiness_error in info and
 * a warning say why. */
static void prepare_readiness(struct slot *s)
{
	int p[2];

	s->ready_wfd = -1;
	if (s->cfg.notification_fd) {
		if (notify_pipe(p) < 0) {
			warn(errno, "unable to create a pipe for ", s->prefix, NOTIFY_FD_FILE);
			s->cfg.notification_fd = 0;
		} else {
			s->ready_fd = p[0];
			s->ready_wfd = p[1];
		}
	}
	/* (A socket is only ever open with the cold area, its buffer, mapped.) */
	s->info.notify_errno = 0;
	if (s->cfg.notify && s->ns.fd < 0 && (!cold_area() || open_notify(s) < 0)) {
		s->info.notify_errno = errno ? errno : ENOMEM;
		warn(errno, "unable to create the notify socket for ", child_name(s), ", it stays not ready");
		s->cfg.watchdog_ms = 0;
	}
	if (!s->cfg.notify && s->ns.fd >= 0)
		notify_socket_close(&s->ns, notify_path(s));
	s->info.readiness = s->cfg.notify ? SVINFO_READY_NOTIFY :
	    s->cfg.notification_fd ? SVINFO_READY_FD : SVINFO_READY_NONE;
	s->notify_warned = 0;
}

/* A renamed service's cgroup, left by an earlier runsv: removed, or not. */
static void told_reclaimed(const char *path, int err, void *arg)
{
	const struct slot *s = arg;

	if (err)
		warn(err, "unable to remove ", path, ", left by an earlier runsv of ", child_name(s));
	else
		warn(DIAG_NOERR, "removed ", path, ", left by an earlier runsv of ", child_name(s));
}

/*
 * Before ./run's fork: what the stop signals will reach. A cgroup of its
 * own is made once and kept for runsv's life; processes found in it then
 * were left by a previous runsv of this service (SPAWN_LEFTOVERS: they
 * are stopped before ./run starts). Without a cgroup, a process group.
 * Either way runsv becomes a subreaper: the service's orphans come back
 * to it, are reaped at once, and (for a group, which has no "empty"
 * event) their ends wake it up.
 */
static int prepare_tree(struct slot *s)
{
	char name[CGROUP_NAME_MAX];

	s->info.kill = SVINFO_KILL_PROCESS;
	if (s->cfg.tree == TREE_AUTO && !s->cg_open && !s->cg_failed && cold_area()) {
		CG(s)->dir_fd = CG(s)->procs_fd = CG(s)->events_fd = -1;
		if (cgroup_name(name, s->is_log ? "log" : ".") < 0 || cgroup_open(CG(s), name) < 0) {
			warn(errno, "unable to create a cgroup for ", child_name(s), ", using a process group");
			s->cg_failed = 1;
		} else if (cgroup_try_enter(CG(s)) < 0) {
			/* Made but not enterable: ./run would die at its first step. */
			warn(errno, "unable to enter ", CG(s)->path, ", using a process group");
			(void)cgroup_remove(CG(s));
			cgroup_close(CG(s));
			s->cg_failed = 1;
		} else {
			s->cg_open = 1;
			(void)cgroup_reclaim_renamed(CG(s), name, told_reclaimed, s);
		}
	}
	if (s->cfg.tree == TREE_AUTO && s->cg_open)
		s->info.kill = SVINFO_KILL_CGROUP;
	else if (s->cfg.tree != TREE_OFF)
		s->info.kill = SVINFO_KILL_PGRP;
	if (s->info.kill != SVINFO_KILL_PROCESS)
		(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (s->info.kill == SVINFO_KILL_CGROUP && cgroup_populated(CG(s)) == 1) {
		s->cg_foreign = 1;
		return SPAWN_LEFTOVERS;
	}
	return 0;
}

/* In the forked child, first: into the service's cgroup or a group of its own. */
static void child_tree(struct slot *s)
{
	if (s->info.kill == SVINFO_KILL_CGROUP && cgroup_enter_self(CG(s)) < 0)
		die(111, errno, "unable to enter ", CG(s)->path);
	if (s->info.kill == SVINFO_KILL_PGRP && setpgid(0, 0) < 0)
		die(111, errno, "unable to make a process group for ", child_name(s));
}

/* ./run is gone: its readiness pipe with it, and its MAINPID when that
 * was ./run itself (another process stays watched until it ends). */
static void forget_run(struct slot *s)
{
	if (s->ready_fd >= 0)
		close_fd(s->ready_fd);
	s->ready_fd = -1;
	if (s->main_fd >= 0 && s->info.main_pid == (uint32_t)s->pid) {
		close_fd(s->main_fd);
		s->main_fd = -1;
	}
}

/*
 * Templated instances: an instance's runsv takes the files it lacks from
 * its template (svfile_fallback), runs every script in the instance's
 * directory with INSTANCE set, and keeps supervise/ (and log/supervise/)
 * in the instance. Plain services never touch this storage.
 */
static struct instance instance_store;
static char instance_log_path[sizeof instance_store.path + sizeof "../" "/log"];

/* runsv . (or /): the service's name is its directory's. Not inlined: its
 * buffer stays off the stack of a service that does not need it. */
__attribute__((noinline)) static void name_from_cwd(char name[INSTANCE_NAME_MAX])
{
	char here[4096];

	if (getcwd(here, sizeof here))
		instance_basename(here, name);
}

static void find_template(const char *service)
{
	const char *inst;
	char name[INSTANCE_NAME_MAX];
	int r;

	instance_basename(service, name);
	if (!name[0])
		name_from_cwd(name);
	if (!instance_split(name, &inst))
		return;
	r = instance_find(name, &instance_store);
	if (r < 0)
		die(111, errno, "unable to open the template ", instance_store.path);
	if (r == 0)
		return; /* no template: a service directory like any other */
	instance = &instance_store;
	if (svfile_fallback(AT_FDCWD, instance->fd, instance->path) < 0)
		die(111, errno, "unable to use the template ", instance->path);
}

/* An instance without log/ whose template has one gets its own, so that
 * log/supervise/ (and the log's relative paths) are the instance's. */
static int instance_log_dir(void)
{
	struct stat st;

	if (fstatat(instance->fd, "log", &st, 0) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	if (mkdir("log", 0755) < 0 && errno != EEXIST) {
		warn(errno, "unable to create ./log for the template's log service");
		return 0;
	}
	return 1;
}

/* The log slot's files come from the template's log/ (a path from the
 * instance's log/ for execve). */
static void template_log(int log_fd)
{
	int fd = openat(instance->fd, "log", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	strcpy(instance_log_path, "../");
	strcat(instance_log_path, instance->path);
	strcat(instance_log_path, "/log");
	if (svfile_fallback(log_fd, fd, instance_log_path) < 0)
		die(111, errno, "unable to use the template ", instance_log_path);
}

/* In a forked child: INSTANCE=INST for every script of an instance. */
static void instance_env(void)
{
	if (instance && setenv(INSTANCE_ENV, instance->inst, 1) < 0)
		die(111, errno, "unable to set ", INSTANCE_ENV);
}

/*
 * control/ scripts run asynchronously, one at a time, in a process group
 * of their own, for a bounded time: timeout-kill when the service has
 * one, else CONTROL_MAX_MS. The loop goes on serving everything but the
 * control FIFO meanwhile (bytes wait there, in order); when the script
 * ends the byte's action resumes (slot_script_ended). Past the bound, or
 * on SIGTERM to runsv, the script's group gets KILL and it counts as
 * failed (the signal it would have held back is sent).
 */
#define CONTROL_MAX_MS 30000
static struct event_ctx *event_now(struct event_ctx *ev);
static struct {
	pid_t pid;          /* 0: none runs */
	long long deadline; /* monotonic ms */
	unsigned long ms;   /* its bound */
	char path[sizeof "control/?"];
} ctl_script;

/* Starts control/C; 1 when it exists, is executable and was forked. */
static int run_custom(struct slot *s, int c)
{
	char *argv[] = { ctl_script.path, 0 };
	struct stat st;
	pid_t pid;

	if (s->is_log || ctl_script.pid)
		return 0;
	strcpy(ctl_script.path, "control/?");
	ctl_script.path[sizeof ctl_script.path - 2] = (char)c;
	if (svfile_stat(AT_FDCWD, ctl_script.path, &st) < 0) {
		if (errno != ENOENT)
			warn(errno, "unable to stat ", ctl_script.path);
		return 0;
	}
	if (!(st.st_mode & S_IXUSR))
		return 0;
	pid = fork();
	if (pid < 0) {
		warn(errno, "unable to fork for ", ctl_script.path);
		return 0;
	}
	if (pid == 0) {
		loop_child_signals();
		(void)setpgid(0, 0);
		if (log_enabled && (logpipe[1] < 0 || dup2(logpipe[1], 1) < 0))
			warn(logpipe[1] < 0 ? EBADF : errno, "unable to setup stdout for ", ctl_script.path);
		instance_env();
		svfile_exec(AT_FDCWD, ctl_script.path, argv, environ);
		die(111, errno, "unable to run control/?");
	}
	(void)setpgid(pid, pid);
	ctl_script.pid = pid;
	ctl_script.ms = s->cfg.kill_ms ? s->cfg.kill_ms : CONTROL_MAX_MS;
	ctl_script.deadline = loop_mono_ms() + (long long)ctl_script.ms;
	return 1;
}

/* The script ended (wstat) or is cut short (wstat -1: KILL to its
 * group; its zombie is reaped with the strangers). */
static void custom_ended(int wstat)
{
	struct event_ctx ev;

	if (wstat < 0) {
		kill(-ctl_script.pid, SIGKILL);
		kill(ctl_script.pid, SIGKILL);
	}
	ctl_script.pid = 0;
	slot_script_ended(&slots[0], wstat >= 0 && WIFEXITED(wstat) && WEXITSTATUS(wstat) == 0,
	    event_now(&ev));
}

/* The script's bound passed. */
static void custom_overdue(void)
{
	char num[FMT_ULONG];

	num[fmt_ulong(num, ctl_script.ms)] = 0;
	warn(DIAG_NOERR, ctl_script.path, " still runs after ", num, " ms, sending KILL");
	custom_ended(-1);
}

/* SIGTERM to runsv: scripts are cut short (what resumes may start
 * another: each goes the same way), then x is served. */
static void custom_cut(void)
{
	while (ctl_script.pid) {
		warn(DIAG_NOERR, ctl_script.path, " still runs at SIGTERM, sending KILL");
		custom_ended(-1);
	}
}

static int finish_exists(void)
{
	int fd = svfile_open(AT_FDCWD, "finish", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* In the forked ./run or log/run: its readiness environment and
 * descriptor, after every other descriptor move (notify_pipe_child's rule). */
static void child_readiness(struct slot *s)
{
	static char watchdog[NOTIFY_WATCHDOG_ENV_MAX];

	if (s->cfg.notify && s->ns.fd >= 0) {
		if (putenv(s->ns.env) < 0)
			die(111, errno, "unable to set NOTIFY_SOCKET for ", child_name(s));
		if (s->cfg.watchdog_ms) {
			notify_watchdog_env(watchdog, s->cfg.watchdog_ms);
			if (putenv(watchdog) < 0)
				die(111, errno, "unable to set WATCHDOG_USEC for ", child_name(s));
		}
	}
	if (s->ready_wfd >= 0 && notify_pipe_child(s->ready_wfd, s->cfg.notification_fd) < 0)
		die(111, errno, "unable to setup ", NOTIFY_FD_FILE, " for ", child_name(s));
}

/* In the forked child: wire the log pipe and exec ./run or ./finish. */
static _Noreturn void exec_child(struct slot *s, int finish)
{
	char a1[FMT_ULONG + 1], a2[FMT_ULONG];
	char *argv[4] = { "./run", 0, 0, 0 };

	loop_child_signals();
	child_tree(s);
	instance_env();
	if (s->is_log) {
		if (chdir("./log") < 0)
			die(111, errno, "unable to change directory to ./log");
		if (dup2(logpipe[0], 0) < 0)
			die(111, errno, "unable to setup filedescriptor for ./log/run");
		child_readiness(s);
		svfile_exec(s->svc_fd, "./run", argv, environ);
		die(111, errno, "unable to start log/./run");
	}
	if (log_enabled && dup2(logpipe[1], 1) < 0)
		die(111, errno, "unable to setup filedescriptor for ./run");
	if (finish == SPAWN_STOP) {
		argv[0] = "./stop";
		execve("./stop", argv, environ);
		die(111, errno, "unable to start ./stop");
	}
	if (!finish)
		child_readiness(s);
	if (finish) {
		if (WIFSIGNALED(s->wstat)) {
			strcpy(a1, "-1");
		} else
			fmt_ulong(a1, (unsigned long)WEXITSTATUS(s->wstat));
		fmt_ulong(a2, (unsigned long)(s->wstat & 0xff));
		argv[0] = "./finish";
		argv[1] = a1;
		argv[2] = a2;
		svfile_exec(AT_FDCWD, "./finish", argv, environ);
		die(111, errno, "unable to start ./finish");
	}
	if (instance)
		argv[1] = instance->inst; /* an instance's ./run gets INST as $1 */
	svfile_exec(AT_FDCWD, "./run", argv, environ);
	die(111, errno, "unable to start ./run");
}

/* A failed fork is warned about and retried by the state machine
 * (control/u, before ./run, is the state machine's too). */
static pid_t spawn(struct slot *s, int finish)
{
	pid_t pid;

	read_config(s, finish);
	if (!finish && prepare_tree(s) == SPAWN_LEFTOVERS)
		return SPAWN_LEFTOVERS;
	if (!finish)
		prepare_readiness(s);
	pid = fork();
	if (pid == 0)
		exec_child(s, finish);
	if (s->ready_wfd >= 0)
		close_fd(s->ready_wfd);
	s->ready_wfd = -1;
	if (pid < 0) {
		warn(errno, "unable to fork, sleeping");
		forget_run(s);
		return SPAWN_FAILED;
	}
	if (s->info.kill == SVINFO_KILL_PGRP)
		(void)setpgid(pid, pid); /* the child does it too: whoever comes first */
	return pid;
}

/* A wait for the needs (before ./run) or the dependents (before the stop
 * of x); 1 when it goes on, E_NEEDS_MET ending it. A cycle or a needs
 * file that cannot be used is told here, once per start. */
static int needs_begin(struct slot *s, int mode)
{
	int r;

	(void)s; /* the main slot's: the log slot has no needs */
	if (home_fd < 0)
		return 0;
	r = needwait_begin(&needs_wait, mode == NEEDS_STOP ? NEEDWAIT_STOP : NEEDWAIT_UP,
	    home_fd, parent_fd, self_name);
	if (r < 0)
		warn(errno, mode == NEEDS_STOP ? "unable to look for the services that need this one" :
		    "unable to wait for needs");
	if (r <= 0)
		return mode == NEEDS_UP && r < 0; /* out of memory: wait, but never out of order */
	if (needs_wait.cycle)
		warn(DIAG_NOERR, "cycle in needs: ", needs_wait.cycle_path, ", ./run does not start");
	if (needs_wait.invalid)
		warn(DIAG_NOERR, "unable to use ", NEEDS_FILE, ": ", needs_wait.invalid,
		    ", ./run does not start");
	if (needwait_look(&needs_wait, (uint64_t)loop_mono_ms())) {
		needwait_end(&needs_wait);
		return 0;
	}
	return 1;
}

static void needs_end(struct slot *s)
{
	(void)s;
	needwait_end(&needs_wait);
}

static int undo_exists(void)
{
	return svfile_exists(AT_FDCWD, "stop") == 1;
}

static const struct effects system_effects = {
	update_status, send_signal, send_stop_signal, update_info, report,
	run_custom, finish_exists, spawn, tree_empty,
	needs_begin, needs_end, undo_exists,
};

/* Where the service's needs are looked up: the directory that holds it as
 * given (before runsv changes into it), and its name there. */
static void open_parent(char *service)
{
	char *slash;
	size_t n = strlen(service);

	while (n > 1 && service[n - 1] == '/')
		service[--n] = 0;
	slash = strrchr(service, '/');
	if (!slash) {
		parent_fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		self_name = service;
	} else {
		*slash = 0;
		parent_fd = open(slash == service ? "/" : service, O_PATH | O_DIRECTORY | O_CLOEXEC);
		*slash = '/';
		self_name = slash + 1;
	}
}

/* The context of an event happening now. */
static struct event_ctx *event_now(struct event_ctx *ev)
{
	ev->fx = &system_effects;
	tain_now(&ev->now);
	ev->ms = loop_mono_ms();
	ev->byte = 0;
	ev->wstat = 0;
	return ev;
}

/* After events and at its timers: the needs looked at again; all ready
 * (stopped) is E_NEEDS_MET, else the new reasons go to info. */
static void serve_needs(void)
{
	struct event_ctx ev;

	if (!needs_wait.active)
		return;
	event_now(&ev);
	if (needwait_look(&needs_wait, (uint64_t)ev.ms))
		slot_dispatch(&slots[0], E_NEEDS_MET, &ev);
	else if (slots[0].phase == P_WAIT_NEEDS)
		update_info(&slots[0]);
}

/* At runsv's start, with kill-tree: a previous runsv's processes are
 * stopped now, whether the service is wanted up or not (they are not
 * runsv's to leave running under a service that says down). */
static void reclaim_at_start(struct slot *s)
{
	struct event_ctx ev;
	struct stat st;

	if (fstatat(s->svc_fd, "kill-tree", &st, 0) < 0)
		return;
	read_config(s, 0);
	if (prepare_tree(s) == SPAWN_LEFTOVERS)
		slot_dispatch(s, E_OLD_LEFTOVERS, event_now(&ev));
}

/* mkdir NAME, or if it is a symlink, mkdir its target (relative to the cwd). */
static void make_supervise_dir(const char *name)
{
	char target[256];
	ssize_t n;

	if (mkdir(name, 0700) == 0)
		return;
	n = readlink(name, target, sizeof target);
	if (n < 0) {
		if (errno == ENOENT || errno == EINVAL)
			return;
		die(111, errno, "unable to readlink ./", name);
	}
	if ((size_t)n >= sizeof target)
		die(111, DIAG_NOERR, "unable to readlink ./", name, ": name too long");
	target[n] = 0;
	(void)mkdir(target, 0700);
}

static void open_lock(struct slot *s, int wait)
{
	char path[32];

	strcpy(path, s->dir);
	strcat(path, "/lock");
	s->lock_fd = lock_open(path);
	if (s->lock_fd < 0)
		die(111, errno, "unable to open ", path);
	if (lock_take(s->lock_fd, wait) < 0)
		die(111, errno, "unable to lock ", path);
	s->dir_fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0)
		die(111, errno, "unable to open ", s->dir);
}

static void open_control(struct slot *s)
{
	char path[32];
	struct stat st;

	strcpy(path, s->dir);
	strcat(path, "/control");
	if (mkfifo(path, 0600) < 0 && errno != EEXIST) {
		/* the stat below reports the problem */
	}
	if (stat(path, &st) < 0)
		die(111, errno, "unable to stat ", path);
	if (!S_ISFIFO(st.st_mode))
		die(111, DIAG_NOERR, path, " exists but is not a fifo");
	s->ctl_r = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->ctl_r < 0)
		die(111, errno, "unable to open ", path);
	s->ctl_w = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->ctl_w < 0)
		die(111, errno, "unable to open ", path);
}

static void open_ok(struct slot *s)
{
	char path[32], fresh[40];
	struct stat st;

	strcpy(path, s->dir);
	strcat(path, "/ok");
	if (lstat(path, &st) == 0) {
		if (S_ISFIFO(st.st_mode)) {
			/* an earlier runsv's: opened where it is, as runit does */
			s->ok_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
			if (s->ok_fd < 0)
				die(111, errno, "unable to read ", path);
			return;
		}
		/* Anything but a FIFO there would answer every client's open, and
		 * make this service look supervised for ever after runsv is gone. */
		warn(DIAG_NOERR, path, " exists but is not a fifo, replacing it");
	}
	/* A new ok appears with its reader: made and opened as ok.new, then
	 * renamed into place. Found without one, it would tell a client that
	 * the runsv starting there is gone ("runsv not running" to sv -w
	 * start just after the service was linked). A runsv killed before the
	 * rename leaves ok.new: the next one takes it if it is a FIFO. */
	strcpy(fresh, path);
	strcat(fresh, ".new");
	if (mkfifo(fresh, 0600) < 0 && !(errno == EEXIST && lstat(fresh, &st) == 0 &&
	    S_ISFIFO(st.st_mode)) && (unlink(fresh) < 0 || mkfifo(fresh, 0600) < 0))
		die(111, errno, "unable to make ", fresh);
	s->ok_fd = open(fresh, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->ok_fd < 0)
		die(111, errno, "unable to read ", fresh);
	if (rename(fresh, path) < 0)
		warn(errno, "unable to replace ", path);
}

static void init_slot(struct slot *s, const char *dir, int is_log, const char *downfile)
{
	struct stat st;

	s->dir = dir;
	s->prefix = is_log ? "log/" : "";
	s->svc_fd = AT_FDCWD;
	s->is_log = is_log;
	s->phase = P_DOWN;
	s->want = svfile_stat(AT_FDCWD, downfile, &st) == 0 ? WANT_DOWN : WANT_UP;
	tain_now(&s->stamp);
	s->run_ms = -RESTART_RUNIT_HOLD_MS;
	s->ctl_r = s->ctl_w = s->ok_fd = s->lock_fd = s->dir_fd = -1;
	s->ready_fd = s->ready_wfd = s->main_fd = s->ns.fd = -1;
}

/* Startup in the order of docs/formats.md, "Startup order": ok is opened
 * last, so clients see runsv as alive only once the status files exist. */
static void setup(const char *service)
{
	struct stat st;
	int here;

	slot_pid_changed = 1;
	logpipe[0] = logpipe[1] = -1;
	if (chdir(service) < 0)
		die(111, errno, "unable to change to directory");
	find_template(service);
	init_slot(&slots[0], "supervise", 0, "down");
	if (stat("log", &st) < 0 && instance && instance_log_dir())
		(void)stat("log", &st); /* made from the template's */
	if (stat("log", &st) < 0) {
		if (errno != ENOENT)
			warn(errno, "unable to stat() ./log: ");
	} else if (!S_ISDIR(st.st_mode)) {
		warn(DIAG_NOERR, "./log: not a directory.");
	} else {
		log_enabled = 1;
		init_slot(&slots[1], "log/supervise", 1, "log/down");
		if (pipe2(logpipe, O_CLOEXEC) < 0)
			die(111, errno, "unable to create log pipe");
	}
	make_supervise_dir("supervise");
	open_lock(&slots[0], 0);
	if (log_enabled) {
		here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (here < 0)
			die(111, errno, "unable to open current directory");
		if (chdir("./log") < 0)
			die(111, errno, "unable to change directory to ./log");
		make_supervise_dir("supervise");
		slots[1].svc_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (slots[1].svc_fd < 0)
			die(111, errno, "unable to open ./log");
		if (instance)
			template_log(slots[1].svc_fd);
		if (fchdir(here) < 0)
			die(111, errno, "unable to change back to service directory");
		close(here);
		open_lock(&slots[1], 1);
	}
	open_control(&slots[0]);
	update_status(&slots[0]);
	if (log_enabled) {
		open_control(&slots[1]);
		update_status(&slots[1]);
	}
	if (parent_fd >= 0)
		home_fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	open_ok(&slots[0]);
	if (log_enabled)
		open_ok(&slots[1]);
}

/* Reads at most one command byte, as runit does per loop turn; none
 * while a control/ script runs (they wait in the FIFO). */
static void serve_control(struct slot *s)
{
	struct event_ctx ev;
	unsigned char c;

	if (!s->ctl_byte && read_intr(s->ctl_r, &c, 1) == 1)
		slot_command(s, c, event_now(&ev));
}

/* notification-fd is readable: a newline makes ./run ready; EOF or an
 * error means it never will be in this run. Either way runsv's end is
 * closed then, as s6 does. */
static void serve_ready(struct slot *s)
{
	struct event_ctx ev;
	int r = notify_pipe_read(s->ready_fd);

	if (r == NOTIFY_PIPE_WAIT)
		return;
	close_fd(s->ready_fd);
	s->ready_fd = -1;
	if (r == NOTIFY_PIPE_READY)
		slot_dispatch(s, E_READY, event_now(&ev));
}

/* The pid of a ./run that runs (not ./finish), or 0. */
static pid_t run_pid(const struct slot *s)
{
	return slot_has_child(s) && !s->child_is_finish ? s->pid : 0;
}

/* MAINPID=: watched by a pidfd, so that signals never reach a stranger
 * that got the pid after it. 1 taken, 0 refused (*why says why). */
static int accept_main_pid(struct slot *s, pid_t pid, const struct notify_sender *who,
    const char **why)
{
	int fd = notify_main_open(pid, who);

	if (fd < 0) {
		*why = errno == ESRCH ? "MAINPID not in the service" : "MAINPID cannot be watched";
		return 0;
	}
	if (s->main_fd >= 0)
		close_fd(s->main_fd);
	s->main_fd = fd;
	s->info.main_pid = (uint32_t)pid;
	return 1;
}

/* A message from the service; *why is set when a part of it was refused.
 * The facts first (STATUS=, MAINPID=), then the events, so that the info
 * an event writes has them; info is written once either way. */
static void apply_notify(struct slot *s, const struct notify_msg *m, const struct notify_sender *who,
    const char **why)
{
	struct event_ctx ev;
	unsigned long written = info_writes;
	int changed = 0;

	if (m->what & NOTIFY_STATUS) {
		if (!s->text)
			s->text = cold->text[s->is_log];
		svinfo_set_text(s->text, m->status, m->status_len);
		changed = 1;
	}
	if (m->what & NOTIFY_MAINPID)
		changed |= accept_main_pid(s, m->mainpid, who, why);
	if (m->what & (NOTIFY_STOPPING | NOTIFY_RELOADING))
		slot_dispatch(s, E_NOT_READY, event_now(&ev));
	if (m->what & NOTIFY_READY)
		slot_dispatch(s, E_READY, event_now(&ev));
	if (m->what & NOTIFY_WATCHDOG)
		slot_dispatch(s, E_PING, event_now(&ev));
	if (m->what & NOTIFY_WATCHDOG_TRIGGER)
		slot_dispatch(s, E_WATCHDOG_TRIGGER, event_now(&ev));
	if (changed && info_writes == written)
		update_info(s);
}

#define NOTIFY_BATCH 64 /* datagrams read per wake-up */

/* Datagrams on supervise/notify; a bounded number per wake-up, so that a
 * flood cannot keep runsv from its other duties. Refusals are told once
 * per run of ./run: anyone may send, and stderr is not theirs to fill.
 * The datagram goes to the cold area, not the stack: stack pages, once
 * touched, stay. */
static void serve_notify(struct slot *s)
{
	/* kept from one wake-up to the next: the stranger refused last */
	static struct notify_sender senders[2];
	struct notify_sender *who = &senders[s->is_log];
	struct notify_msg m;
	const char *why;
	int i, r;

	who->root = run_pid(s);
	who->cgroup = s->info.kill == SVINFO_KILL_CGROUP ? CG(s)->rel : 0;
	info_deferred = 1;
	for (i = 0; i < NOTIFY_BATCH; i++) {
		why = 0;
		r = notify_recv(s->ns.fd, cold->dgram, who, &m, &why);
		if (r == NOTIFY_RECV_AGAIN || r == NOTIFY_RECV_ERROR)
			break;
		if (r == NOTIFY_RECV_OK)
			apply_notify(s, &m, who, &why);
		if (why && !s->notify_warned) {
			warn(DIAG_NOERR, notify_path(s), ": ", why);
			s->notify_warned = 1;
		}
	}
	info_deferred = 0;
	if (info_pending) {
		info_pending = 0;
		write_info(s);
	}
}

/* The MAINPID process ended. */
static void serve_main(struct slot *s)
{
	close_fd(s->main_fd);
	s->main_fd = -1;
	s->info.main_pid = 0;
	update_info(s);
}

/* After every wake-up: has a draining slot's tree become empty? */
static void check_drains(void)
{
	struct event_ctx ev;
	int i;

	for (i = 0; i < 1 + log_enabled; i++)
		if (slot_draining(&slots[i]) && tree_empty(&slots[i])) {
			if (slots[i].phase == P_DRAIN_OLD)
				slots[i].cg_foreign = 0;
			slot_dispatch(&slots[i], E_EMPTY, event_now(&ev));
		}
}

/* Every ended child is reaped before the slots hear of theirs: with
 * kill-tree by process group, an orphan of the service that ended but
 * was not reaped yet would still count as a process left in the group. */
static void reap_children(void)
{
	struct event_ctx ev;
	int reaped[2] = { 0, 0 }, wstat[2] = { 0, 0 };
	pid_t pid;
	int w, i, script_wstat = -1;

	while ((pid = waitpid(-1, &w, WNOHANG)) > 0) {
		if (ctl_script.pid && pid == ctl_script.pid)
			script_wstat = w;
		for (i = 0; i < 1 + log_enabled; i++)
			if (slots[i].pid == pid && slot_has_child(&slots[i])) {
				reaped[i] = 1;
				wstat[i] = w;
			}
	}
	for (i = 0; i < 1 + log_enabled; i++)
		if (reaped[i]) {
			if (!slots[i].child_is_finish)
				forget_run(&slots[i]);
			event_now(&ev)->wstat = wstat[i];
			slot_dispatch(&slots[i], E_EXITED, &ev);
		}
	/* After ./run's end: a stop that resumes finds it gone. */
	if (script_wstat >= 0)
		custom_ended(script_wstat);
}

/* At exit: the cgroup goes too. What a `k` (or sv force-shutdown)
 * KILLed may still be dying: runsv waits for the cgroup to empty, at most
 * CGROUP_EXIT_WAIT_MS, before the rmdir. (What `x` left running, a
 * previous runsv's processes, stays, and so does the cgroup: told.) */
#define CGROUP_EXIT_WAIT_MS 2000
static void remove_cgroup(struct slot *s)
{
	if (!s->cg_foreign)
		(void)cgroup_wait_empty(CG(s), CGROUP_EXIT_WAIT_MS);
	if (cgroup_remove(CG(s)) < 0)
		warn(errno, "unable to remove ", CG(s)->path);
}

/* Main down after `x`: exit at once without a log service, else let the
 * log service drain the pipe to EOF and exit when it is gone. */
static void check_exit(void)
{
	struct slot *m = &slots[0], *l = &slots[1];

	if (m->want != WANT_EXIT || phase_disk_state(m->phase) != SV_DOWN || ctl_script.pid)
		return; /* (control/x, or another script, ends first: bounded) */
	if (!log_enabled || !l->pid) {
		for (int i = 0; i < 1 + log_enabled; i++) {
			if (slots[i].ns.fd >= 0)
				notify_socket_close(&slots[i].ns, notify_path(&slots[i]));
			if (slots[i].cg_open)
				remove_cgroup(&slots[i]);
		}
		_exit(0);
	}
	if (logpipe[0] < 0)
		return;
	l->want = WANT_EXIT;
	update_status(l);
	if (close(logpipe[1]) < 0)
		warn(errno, "unable to close logpipe[1]");
	if (close(logpipe[0]) < 0)
		warn(errno, "unable to close logpipe[0]");
	logpipe[0] = logpipe[1] = -1;
}

/* The descriptors the loop polls for a slot, and what each one is. */
enum watch_kind { WATCH_CONTROL, WATCH_READY, WATCH_NOTIFY, WATCH_MAIN, WATCH_TREE, WATCH_NEEDS, WATCH_COUNT };
struct watch {
	struct slot *s;
	enum watch_kind kind;
	int fd; /* served only while it is still the slot's */
};

static int add_watch(struct pollfd *pfd, struct watch *w, int n, struct slot *s,
    enum watch_kind kind, int fd)
{
	if (fd < 0)
		return n;
	pfd[n].fd = fd;
	/* cgroup.events always polls readable; a change raises POLLPRI. */
	pfd[n].events = kind == WATCH_TREE ? POLLPRI : POLLIN;
	pfd[n].revents = 0;
	w[n].s = s;
	w[n].kind = kind;
	w[n].fd = fd;
	return n + 1;
}

static int watch_slot(struct slot *s, struct pollfd *pfd, struct watch *w, int n)
{
	if (!s->ctl_byte) /* bytes wait in the FIFO while a control/ script runs */
		n = add_watch(pfd, w, n, s, WATCH_CONTROL, s->ctl_r);
	n = add_watch(pfd, w, n, s, WATCH_READY, s->ready_fd);
	n = add_watch(pfd, w, n, s, WATCH_NOTIFY, s->ns.fd);
	n = add_watch(pfd, w, n, s, WATCH_MAIN, s->main_fd);
	if (slot_draining(s) && s->info.kill == SVINFO_KILL_CGROUP)
		n = add_watch(pfd, w, n, s, WATCH_TREE, CG(s)->events_fd);
	if (!s->is_log)
		n = add_watch(pfd, w, n, s, WATCH_NEEDS, needwait_fd(&needs_wait));
	return n;
}

static void serve_watch(const struct watch *w)
{
	switch (w->kind) {
	case WATCH_READY:
		if (w->s->ready_fd == w->fd)
			serve_ready(w->s);
		break;
	case WATCH_NOTIFY:
		if (w->s->ns.fd == w->fd)
			serve_notify(w->s);
		break;
	case WATCH_MAIN:
		if (w->s->main_fd == w->fd)
			serve_main(w->s);
		break;
	case WATCH_NEEDS: /* looked at by serve_needs() */
		needwait_event(&needs_wait);
		break;
	case WATCH_TREE: /* seen by check_drains() */
	default:
		break;
	}
}

/* Milliseconds until the next deadline, or -1 to sleep until an event.
 * A process group has no "empty" event: while one drains, runsv looks
 * again at least every PGRP_RECHECK_MS (orphans reaped by runsv, as its
 * subreaper, wake it sooner). */
#define PGRP_RECHECK_MS 1000
static int poll_timeout(long long now_ms)
{
	long long next = -1;
	int i;

	for (i = 0; i < 1 + log_enabled; i++) {
		long long d = slots[i].deadline;
		if (slot_draining(&slots[i]) && slots[i].info.kill == SVINFO_KILL_PGRP &&
		    (!d || d > now_ms + PGRP_RECHECK_MS))
			d = now_ms + PGRP_RECHECK_MS;
		if (d && (next < 0 || d < next))
			next = d;
	}
	if (ctl_script.pid && (next < 0 || ctl_script.deadline < next))
		next = ctl_script.deadline;
	if (needwait_due(&needs_wait) && (next < 0 || (long long)needwait_due(&needs_wait) < next))
		next = (long long)needwait_due(&needs_wait);
	if (next < 0)
		return -1;
	return next <= now_ms ? 0 : (int)(next - now_ms);
}

int main(int argc, char **argv)
{
	struct pollfd pfd[1 + 2 * WATCH_COUNT];
	struct watch watches[1 + 2 * WATCH_COUNT];
	sigset_t set;
	static char short_prefix[256];
	char *prefix;
	size_t len;
	struct event_ctx ev;
	int sigfd, got_term, sig, i, n;

	if (argc != 2 || !argv[1])
		die_usage(1, argc > 0 && argv[0] ? argv[0] : "runsv", "dir");
	/* Usual names fit a small static buffer: an idle runsv keeps no heap. */
	len = strlen(argv[1]) + sizeof "runsv ";
	prefix = len <= sizeof short_prefix ? short_prefix : malloc(len);
	if (!prefix)
		die(111, errno, "out of memory");
	strcpy(prefix, "runsv ");
	strcat(prefix, argv[1]);
	diag_prefix = prefix;

	/* An inherited SIG_IGN would auto-reap children or reach ./run. */
	signal(SIGCHLD, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	/* Blocked (and read, and dropped, with the others): our stderr is runsvdir's
	 * log pipe, which has no reader once runsvdir has gone (stage 3); a warning
	 * written then must cost the warning, not runsv. Children get the old mask. */
	sigaddset(&set, SIGPIPE);
	sigfd = loop_signals(&set);
	if (sigfd < 0)
		die(111, errno, "unable to create selfpipe");

	/* An outer manager's channel (systemd's, podman --sdnotify) is
	 * runsv's, not its services': a service without the notify file must
	 * not tell that manager it is ready, and one with it gets runsv's own. */
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");

	open_parent(argv[1]);
	setup(argv[1]);
	for (i = 0; i < 1 + log_enabled; i++)
		reclaim_at_start(&slots[i]);

	for (;;) {
		/* Deadlines, then the start step: log slot first, as runit. */
		if (ctl_script.pid && loop_mono_ms() >= ctl_script.deadline)
			custom_overdue();
		for (i = 1 + log_enabled; i-- > 0;) {
			event_now(&ev);
			if (slots[i].deadline && ev.ms >= slots[i].deadline)
				slot_dispatch(&slots[i], E_DEADLINE, &ev);
			slot_dispatch(&slots[i], E_START, event_now(&ev));
		}
		pfd[0].fd = sigfd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		n = 1;
		for (i = 0; i < 1 + log_enabled; i++)
			n = watch_slot(&slots[i], pfd, watches, n);
		if (loop_poll(pfd, (nfds_t)n, poll_timeout(loop_mono_ms())) < 0)
			die(111, errno, "unable to poll");

		got_term = 0;
		while ((sig = loop_next_signal(sigfd)) != 0)
			if (sig == SIGTERM)
				got_term = 1;
		/* What ./run said before it ended counts: readiness, then reaping. */
		for (i = 1; i < n; i++)
			if (pfd[i].revents && watches[i].kind != WATCH_CONTROL)
				serve_watch(&watches[i]);
		reap_children();
		check_drains();
		serve_needs();
		for (i = 1; i < n; i++)
			if (pfd[i].revents && watches[i].kind == WATCH_CONTROL)
				serve_control(watches[i].s);
		if (got_term) {
			custom_cut();
			slot_command(&slots[0], CTL_EXIT, event_now(&ev));
		}
		check_exit();
	}
}

