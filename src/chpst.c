/* chpst.c: chpst and its personalities (envdir, envuidgid, pgrphack, setuidgid, softlimit, setlock): change process state, then exec. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"
#include "caps.h"
#include "control.h"
#include "diag.h"
#include "io.h"
#include "num.h"
#include "opt.h"

extern char **environ;

enum personality {
	AS_CHPST, AS_ENVDIR, AS_ENVUIDGID, AS_PGRPHACK, AS_SETUIDGID,
	AS_SOFTLIMIT, AS_SETLOCK,
};

static const struct {
	const char *name;
	const char *usage;
} personalities[] = {
	[AS_CHPST] = { "chpst", "[-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] "
	    "[-e dir] [-/ root] [-C pwd] [-n nice] [-l|-L lock] [-m n] [-d n] [-o n] "
	    "[-p n] [-f n] [-c n] [-t n] [--no-new-privs] [--caps list] [--ambient list] "
	    "[--unshare list] [--private-tmp] [--oom-score-adj n] [--umask mode] prog" },
	[AS_ENVDIR] = { "envdir", "dir child" },
	[AS_ENVUIDGID] = { "envuidgid", "account child" },
	[AS_PGRPHACK] = { "pgrphack", "child" },
	[AS_SETUIDGID] = { "setuidgid", "account child" },
	[AS_SOFTLIMIT] = { "softlimit", "[-a allbytes] [-c corebytes] [-d databytes] "
	    "[-f filebytes] [-l lockbytes] [-m membytes] [-o openfiles] [-p processes] "
	    "[-r residentbytes] [-s stackbytes] [-t cpusecs] child" },
	[AS_SETLOCK] = { "setlock", "[ -nNxX ] file program [ arg ... ]" },
};
#define NPERSONALITIES (sizeof personalities / sizeof personalities[0])

/* The resources chpst and softlimit can lower, in our numbering; limit_resource maps to the kernel's. */
enum { LIM_AS, LIM_CORE, LIM_CPU, LIM_DATA, LIM_FSIZE, LIM_MEMLOCK, LIM_NOFILE,
	LIM_NPROC, LIM_RSS, LIM_STACK, LIM_COUNT };
static const int limit_resource[LIM_COUNT] = {
	[LIM_AS] = RLIMIT_AS, [LIM_CORE] = RLIMIT_CORE, [LIM_CPU] = RLIMIT_CPU,
	[LIM_DATA] = RLIMIT_DATA, [LIM_FSIZE] = RLIMIT_FSIZE,
	[LIM_MEMLOCK] = RLIMIT_MEMLOCK, [LIM_NOFILE] = RLIMIT_NOFILE,
	[LIM_NPROC] = RLIMIT_NPROC, [LIM_RSS] = RLIMIT_RSS, [LIM_STACK] = RLIMIT_STACK,
};

/* Option letters that set one limit each ('m' sets four and is handled apart). */
static const char chpst_limit_letters[] = "dopfcrt";
static const int chpst_limit_index[] = {
	LIM_DATA, LIM_NOFILE, LIM_NPROC, LIM_FSIZE, LIM_CORE, LIM_RSS, LIM_CPU,
};
static const char softlimit_letters[] = "acdflmoprst";
static const int softlimit_index[] = {
	LIM_AS, LIM_CORE, LIM_DATA, LIM_FSIZE, LIM_MEMLOCK, -1, LIM_NOFILE,
	LIM_NPROC, LIM_RSS, LIM_STACK, LIM_CPU,
};

/* chpst's long options: runit's letters are all taken or reserved. */
enum long_option {
	LONG_NO_NEW_PRIVS, LONG_CAPS, LONG_AMBIENT, LONG_UNSHARE, LONG_PRIVATE_TMP,
	LONG_OOM_SCORE_ADJ, LONG_UMASK, LONG_COUNT
};
static const struct opt_long long_options[LONG_COUNT] = {
	[LONG_NO_NEW_PRIVS] = { "no-new-privs", 0 },
	[LONG_CAPS] = { "caps", 1 },
	[LONG_AMBIENT] = { "ambient", 1 },
	[LONG_UNSHARE] = { "unshare", 1 },
	[LONG_PRIVATE_TMP] = { "private-tmp", 0 },
	[LONG_OOM_SCORE_ADJ] = { "oom-score-adj", 1 },
	[LONG_UMASK] = { "umask", 1 },
};

/* The namespaces --unshare knows; bit i of settings.unshare is namespace_names[i]. */
enum { NS_NET, NS_IPC, NS_UTS, NS_MOUNT, NS_COUNT };
static const char *const namespace_names[NS_COUNT] = { "net", "ipc", "uts", "mount" };
static const int namespace_flags[NS_COUNT] = { CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNS };
#define NS_BIT(i) ((uint64_t)1 << (i))

#define OOM_SCORE_ADJ_MAX 1000

struct limit_request {
	int wanted;
	int to_hard; /* softlimit's "=": raise the soft limit to the hard one */
	unsigned long value;
};

/* Everything the command line asks for; filled by parse_args without side effects. */
struct settings {
	enum personality as;
	const char *name;      /* for usage: basename of argv[0], a leading 'd' dropped */
	const char *set_user;  /* -u, setuidgid */
	const char *env_user;  /* -U, envuidgid */
	int account_only;      /* setuidgid/envuidgid: a plain passwd name, no groups */
	const char *argv0;     /* -b */
	const char *envdir;    /* -e, envdir */
	int envdir_strict;     /* envdir personality: a subdirectory is fatal */
	const char *root;      /* -/ */
	const char *cwd;       /* -C */
	int nice_wanted;
	long nice_inc;
	const char *lock;      /* -l, -L, setlock */
	int lock_wait;
	int quiet_failure;     /* setlock -x: exit 0 if the lock or exec fails */
	int new_session;       /* -P, pgrphack */
	int close_std[3];      /* -0 -1 -2 */
	int verbose;
	struct limit_request limit[LIM_COUNT];
	int no_new_privs;      /* --no-new-privs */
	int caps_wanted;       /* --caps: the bounding set becomes caps */
	uint64_t caps;
	int ambient_wanted;    /* --ambient: the ambient set becomes ambient */
	uint64_t ambient;
	uint64_t unshare;      /* --unshare, --private-tmp: bits as in namespace_names */
	int private_tmp;
	int oom_wanted;        /* --oom-score-adj */
	long oom_score_adj;
	int umask_wanted;      /* --umask */
	unsigned umask;
	char **prog;           /* PROG and its arguments, NULL-terminated */
};

enum parse_result {
	PARSE_OK,
	PARSE_USAGE,       /* the personality's own usage */
	PARSE_USAGE_CHPST, /* chpst's usage text under the personality's name (softlimit quirk) */
	PARSE_VERSION,     /* -V: version, then usage */
};

static enum personality personality_of(const char *name)
{
	size_t i;

	for (i = 1; i < NPERSONALITIES; i++)
		if (strcmp(name, personalities[i].name) == 0)
			return (enum personality)i;
	return AS_CHPST;
}

/* chpst's limit arguments: digits only; an empty string counts as 0 as in runit. */
static int parse_limit(const char *arg, struct limit_request *l)
{
	unsigned long v;

	if (arg[scan_ulong(arg, &v)] != '\0')
		return 0;
	l->wanted = 1;
	l->to_hard = 0;
	l->value = v;
	return 1;
}

/* softlimit's limit arguments: digits, or "=" for the hard limit. */
static int parse_softlimit(const char *arg, struct limit_request *l)
{
	if (strcmp(arg, "=") == 0) {
		l->wanted = 1;
		l->to_hard = 1;
		return 1;
	}
	return parse_limit(arg, l);
}

static void want_memory(struct settings *s, const struct limit_request *l)
{
	s->limit[LIM_DATA] = s->limit[LIM_STACK] = *l;
	s->limit[LIM_MEMLOCK] = s->limit[LIM_AS] = *l;
}

/* -n: an optional sign, then digits only. */
static int parse_nice(const char *arg, long *inc)
{
	unsigned long v;
	int negative = 0;

	if (*arg == '-' || *arg == '+')
		negative = *arg++ == '-';
	if (arg[scan_ulong(arg, &v)] != '\0')
		return 0;
	if (v > 1000) /* nice(2) clamps anyway; this keeps the long in range */
		v = 1000;
	*inc = negative ? -(long)v : (long)v;
	return 1;
}

/* "PROG: WHAT[DETAIL]", for the usage error that follows. */
static enum parse_result complain(const char *prog, const char *what, const char *detail, size_t len)
{
	opt_complain(prog, what, detail, len);
	return PARSE_USAGE;
}

/* --oom-score-adj: an optional sign, then digits, within the kernel's range. */
static int parse_oom_score_adj(const char *arg, long *adj)
{
	unsigned long v;
	int negative = 0;

	if (*arg == '-' || *arg == '+')
		negative = *arg++ == '-';
	if (!scan_ulong_all(arg, &v) || v > OOM_SCORE_ADJ_MAX)
		return 0;
	*adj = negative ? -(long)v : (long)v;
	return 1;
}

/* --umask: octal digits only, at most 0777. */
static int parse_umask(const char *arg, unsigned *mode)
{
	unsigned v = 0;

	if (*arg == '\0')
		return 0;
	for (; *arg; arg++) {
		if (*arg < '0' || *arg > '7')
			return 0;
		v = v * 8 + (unsigned)(*arg - '0');
		if (v > 0777)
			return 0;
	}
	*mode = v;
	return 1;
}

/* Long option i with its argument arg; a bad argument is a usage error with a line saying why. */
static enum parse_result parse_long(int i, const char *arg, char **argv, struct settings *s)
{
	const char *bad;
	size_t badlen;

	switch ((enum long_option)i) {
	case LONG_NO_NEW_PRIVS:
		s->no_new_privs = 1;
		break;
	case LONG_CAPS:
	case LONG_AMBIENT:
		if (!caps_parse(arg, i == LONG_CAPS ? &s->caps : &s->ambient, &bad, &badlen))
			return badlen ? complain(argv[0], "unknown capability: ", bad, badlen) :
			    complain(argv[0], "empty name in list: ", arg, strlen(arg));
		*(i == LONG_CAPS ? &s->caps_wanted : &s->ambient_wanted) = 1;
		break;
	case LONG_UNSHARE: {
		uint64_t set;

		if (!names_parse(arg, namespace_names, NS_COUNT, 0, &set, &bad, &badlen))
			return badlen ? complain(argv[0], "unknown namespace: ", bad, badlen) :
			    complain(argv[0], "empty name in list: ", arg, strlen(arg));
		s->unshare |= set;
		break;
	}
	case LONG_PRIVATE_TMP:
		s->private_tmp = 1;
		s->unshare |= NS_BIT(NS_MOUNT);
		break;
	case LONG_OOM_SCORE_ADJ:
		if (!parse_oom_score_adj(arg, &s->oom_score_adj))
			return complain(argv[0], "oom score adjustment not from -1000 to 1000: ", arg, strlen(arg));
		s->oom_wanted = 1;
		break;
	case LONG_UMASK:
		if (!parse_umask(arg, &s->umask))
			return complain(argv[0], "umask not octal from 0 to 777: ", arg, strlen(arg));
		s->umask_wanted = 1;
		break;
	case LONG_COUNT:
		break;
	}
	return PARSE_OK;
}

static enum parse_result parse_chpst(int argc, char **argv, struct settings *s)
{
	struct opt o = OPT_INIT;
	struct limit_request l;
	enum parse_result r;
	int c, locks = 0;

	for (;;) {
		c = opt_next_long(&o, argc, argv, "u:U:b:e:m:d:o:p:f:c:r:t:/:C:n:l:L:vP012V",
		    long_options, LONG_COUNT);
		if (c == -1)
			break;
		if (c >= OPT_LONG) {
			if ((r = parse_long(c - OPT_LONG, o.arg, argv, s)) != PARSE_OK)
				return r;
			continue;
		}
		switch (c) {
		case 'u': s->set_user = o.arg; break;
		case 'U': s->env_user = o.arg; break;
		case 'b': s->argv0 = o.arg; break;
		case 'e': s->envdir = o.arg; break;
		case '/': s->root = o.arg; break;
		case 'C': s->cwd = o.arg; break;
		case 'n':
			if (!parse_nice(o.arg, &s->nice_inc))
				return PARSE_USAGE;
			s->nice_wanted = 1;
			break;
		case 'l':
		case 'L':
			if (locks++)
				return PARSE_USAGE;
			s->lock = o.arg;
			s->lock_wait = c == 'l';
			break;
		case 'm':
			if (!parse_limit(o.arg, &l))
				return PARSE_USAGE;
			want_memory(s, &l);
			break;
		case 'd': case 'o': case 'p': case 'f': case 'c': case 'r': case 't':
			if (!parse_limit(o.arg, &s->limit[chpst_limit_index[
			    strchr(chpst_limit_letters, c) - chpst_limit_letters]]))
				return PARSE_USAGE;
			break;
		case 'v': s->verbose = 1; break;
		case 'P': s->new_session = 1; break;
		case '0': s->close_std[0] = 1; break;
		case '1': s->close_std[1] = 1; break;
		case '2': s->close_std[2] = 1; break;
		case 'V': return PARSE_VERSION;
		default: return PARSE_USAGE;
		}
	}
	if (s->caps_wanted && s->ambient_wanted && (s->ambient & ~s->caps)) {
		char label[CAP_LABEL_MAX];
		const char *name = cap_label(caps_first(s->ambient & ~s->caps), label);

		return complain(argv[0], "ambient capability not in --caps: ", name, strlen(name));
	}
	if (o.ind >= argc)
		return PARSE_USAGE;
	s->prog = argv + o.ind;
	return PARSE_OK;
}

static enum parse_result parse_softlimit_args(int argc, char **argv, struct settings *s)
{
	struct opt o = OPT_INIT;
	struct limit_request l;
	int c;

	while ((c = opt_next(&o, argc, argv, "a:c:d:f:l:m:o:p:r:s:t:")) != -1) {
		const char *letter = strchr(softlimit_letters, c);
		int index;

		if (!letter)
			return PARSE_USAGE;
		index = softlimit_index[letter - softlimit_letters];
		if (!parse_softlimit(o.arg, index < 0 ? &l : &s->limit[index]))
			return PARSE_USAGE_CHPST;
		if (index < 0)
			want_memory(s, &l);
	}
	if (o.ind >= argc)
		return PARSE_USAGE;
	s->prog = argv + o.ind;
	return PARSE_OK;
}

static enum parse_result parse_setlock_args(int argc, char **argv, struct settings *s)
{
	struct opt o = OPT_INIT;
	int c;

	while ((c = opt_next(&o, argc, argv, "nNxX")) != -1) {
		switch (c) {
		case 'n': s->lock_wait = 1; break;
		case 'N': s->lock_wait = 0; break;
		case 'x': s->quiet_failure = 1; break;
		case 'X': s->quiet_failure = 0; break;
		default: return PARSE_USAGE;
		}
	}
	if (argc - o.ind < 2)
		return PARSE_USAGE;
	s->lock = argv[o.ind];
	s->prog = argv + o.ind + 1;
	return PARSE_OK;
}

/* Turns argv into settings: no output except opt_next's complaints, no allocation. */
static enum parse_result parse_args(int argc, char **argv, struct settings *s)
{
	const char *name = argc > 0 && argv[0] ? base_name(argv[0]) : "chpst";

	memset(s, 0, sizeof *s);
	if (name[0] == 'd') /* daemontools-style names with a "d" prefix (denvdir) */
		name++;
	s->name = name;
	s->as = personality_of(name);
	if (argc < 1)
		return PARSE_USAGE;
	switch (s->as) {
	case AS_CHPST:
		return parse_chpst(argc, argv, s);
	case AS_SOFTLIMIT:
		return parse_softlimit_args(argc, argv, s);
	case AS_SETLOCK:
		return parse_setlock_args(argc, argv, s);
	case AS_PGRPHACK:
		if (argc < 2)
			return PARSE_USAGE;
		s->new_session = 1;
		s->prog = argv + 1;
		return PARSE_OK;
	case AS_ENVDIR:
	case AS_SETUIDGID:
	case AS_ENVUIDGID:
		/* These take no options: a leading "-" is part of the operand. */
		if (argc < 3)
			return PARSE_USAGE;
		if (s->as == AS_ENVDIR) {
			s->envdir = argv[1];
			s->envdir_strict = 1;
		} else {
			s->account_only = 1;
			if (s->as == AS_SETUIDGID)
				s->set_user = argv[1];
			else
				s->env_user = argv[1];
		}
		s->prog = argv + 2;
		return PARSE_OK;
	}
	return PARSE_USAGE;
}

/* The environment handed to PROG: chpst's own is left alone for its lookups. */
struct env {
	char **v;
	size_t n, cap;
};

static _Noreturn void die_nomem(void)
{
	die(111, DIAG_NOERR, "out of memory");
}

static void env_init(struct env *e)
{
	size_t n = 0;

	while (environ && environ[n])
		n++;
	e->cap = n + 8;
	e->v = malloc(e->cap * sizeof *e->v);
	if (!e->v)
		die_nomem();
	if (n)
		memcpy(e->v, environ, n * sizeof *e->v);
	e->n = n;
	e->v[n] = 0;
}

static int env_names_match(const char *entry, const char *name, size_t len)
{
	return strncmp(entry, name, len) == 0 && (entry[len] == '=' || entry[len] == '\0');
}

/* Removes every NAME entry, then adds NAME=VALUE unless value is NULL. Order is kept. */
static void env_put(struct env *e, const char *name, const char *value, size_t value_len)
{
	size_t len = strlen(name), i = 0, j;
	char *entry;

	for (j = 0; j < e->n; j++)
		if (!env_names_match(e->v[j], name, len))
			e->v[i++] = e->v[j];
	e->n = i;
	e->v[e->n] = 0;
	if (!value)
		return;
	if (grow(&e->v, &e->cap, e->n + 2, sizeof *e->v, 16) < 0)
		die_nomem();
	entry = malloc(len + value_len + 2);
	if (!entry)
		die_nomem();
	memcpy(entry, name, len);
	entry[len] = '=';
	memcpy(entry + len + 1, value, value_len);
	entry[len + 1 + value_len] = '\0';
	e->v[e->n++] = entry;
	e->v[e->n] = 0;
}

/* No exec accepts an environment string this long (Linux allows 128 KiB); stopping
 * here keeps a link to /dev/zero from eating all memory. */
#define ENV_LINE_MAX (1024 * 1024)

/* Reads the first line of an envdir file; returns its length before trimming, -1 on error.
 * *empty is set for a 0-byte file (which unsets the variable). */
static ssize_t read_first_line(int fd, char **buf, size_t *cap, int *empty)
{
	size_t len = 0;
	ssize_t r;

	*empty = 1;
	for (;;) {
		if (len == *cap && grow(buf, cap, len + 1, 1, 256) < 0)
			die_nomem();
		r = read_intr(fd, *buf + len, *cap - len);
		if (r < 0)
			return -1;
		if (r == 0)
			return (ssize_t)len;
		*empty = 0;
		{
			char *nl = memchr(*buf + len, '\n', (size_t)r);
			if (nl)
				return nl - *buf;
		}
		len += (size_t)r;
		if (len > ENV_LINE_MAX) {
			errno = EFBIG;
			return -1;
		}
	}
}

/* Applies DIR's files to the environment: first line, trailing blanks cut, NUL -> newline;
 * an empty file unsets. The directory is read through its own fd, so chpst's cwd never moves. */
static void envdir_apply(struct env *e, const char *dir, int strict, int verbose)
{
	char *buf = 0;
	size_t cap = 0;
	struct dirent *d;
	DIR *dp;
	int dfd;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die(111, errno, "unable to switch to directory: ", dir);
	dp = fdopendir(dfd);
	if (!dp)
		die(111, errno, "unable to open directory: ", dir);
	for (;;) {
		ssize_t len;
		int fd, empty, err;
		size_t i;

		errno = 0;
		d = readdir(dp);
		if (!d) {
			if (errno)
				die(111, errno, "unable to read directory: ", dir);
			break;
		}
		if (d->d_name[0] == '.')
			continue;
		if (strchr(d->d_name, '=')) {
			if (verbose)
				warn(DIAG_NOERR, "ignoring ", dir, "/", d->d_name, ": name contains =");
			continue;
		}
		fd = openat(dfd, d->d_name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		len = fd < 0 ? -1 : read_first_line(fd, &buf, &cap, &empty);
		err = errno;
		if (fd >= 0)
			close_fd(fd);
		if (len < 0) {
			if (err == EISDIR && !strict) {
				if (verbose)
					warn(err, "unable to read ", dir, "/", d->d_name);
				continue;
			}
			die(111, err, "unable to read ", dir, "/", d->d_name);
		}
		if (empty) {
			env_put(e, d->d_name, 0, 0);
			continue;
		}
		while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
			len--;
		for (i = 0; i < (size_t)len; i++)
			if (buf[i] == '\0')
				buf[i] = '\n';
		env_put(e, d->d_name, buf, (size_t)len);
	}
	closedir(dp);
	free(buf);
}

#define GROUPS_MAX 60

struct account {
	uid_t uid;
	gid_t gid[GROUPS_MAX];
	size_t ngid;
};

/* One numeric id: at least one digit, and not (uid_t)-1, which the kernel reads as "no change". */
static int scan_id(const char **p, unsigned long *id)
{
	size_t n = scan_ulong(*p, id);

	if (n == 0 || *id >= 0xffffffffUL)
		return 0;
	*p += n;
	return 1;
}

/* ":UID:GID[:GID...]": no lookups. runit reads an empty field as 0 (root); we refuse it. */
static int account_numeric(const char *spec, struct account *a)
{
	unsigned long id;

	if (!scan_id(&spec, &id) || *spec != ':')
		return 0;
	a->uid = (uid_t)id;
	a->ngid = 0;
	while (*spec == ':') {
		spec++;
		if (a->ngid == GROUPS_MAX || !scan_id(&spec, &id))
			return 0;
		a->gid[a->ngid++] = (gid_t)id;
	}
	return *spec == '\0';
}

/* getpwnam/getgrnam found nothing: errno 0 means no such name, anything else a read error. */
static _Noreturn void lookup_failed(int account_only, const char *spec)
{
	if (errno == ERANGE)
		errno = 0; /* a name longer than any there is (it never reached getpwnam) */
	if (errno)
		die(111, errno, account_only ? "unable to get password file entry" :
		    "unable to get password/group file entry");
	die(111, DIAG_NOERR, account_only ? "unknown account: " : "unknown user/group: ", spec);
}

/* Copies the ':'-terminated field at *p into buf (NUL-terminated) and moves *p past it. */
static int next_field(const char **p, char *buf, size_t size)
{
	size_t len = strcspn(*p, ":");

	if (len >= size)
		return 0;
	memcpy(buf, *p, len);
	buf[len] = '\0';
	*p += len;
	return 1;
}

/* Resolves -u/-U/setuidgid/envuidgid specs; dies with runit's messages. */
static void account_resolve(const char *spec, int account_only, struct account *a)
{
	char name[256];
	const char *p = spec;
	struct passwd *pw;
	struct group *gr;

	if (!account_only && spec[0] == ':') {
		if (!account_numeric(spec + 1, a))
			die(111, DIAG_NOERR, "invalid uid/gids: ", spec + 1);
		return;
	}
	errno = ERANGE; /* for a name too long: an unknown one */
	if (account_only) {
		if (strlen(spec) >= sizeof name)
			lookup_failed(account_only, spec);
		strcpy(name, spec);
	} else if (!next_field(&p, name, sizeof name)) {
		lookup_failed(account_only, spec);
	}
	errno = 0;
	pw = getpwnam(name);
	if (!pw)
		lookup_failed(account_only, spec);
	a->uid = pw->pw_uid;
	a->gid[0] = pw->pw_gid;
	a->ngid = 1;
	if (account_only || *p == '\0')
		return;
	a->ngid = 0;
	while (*p == ':') {
		p++;
		if (a->ngid == GROUPS_MAX)
			die(111, DIAG_NOERR, "invalid uid/gids: ", spec);
		errno = ERANGE;
		if (!next_field(&p, name, sizeof name))
			lookup_failed(account_only, spec);
		errno = 0;
		gr = getgrnam(name);
		if (!gr)
			lookup_failed(account_only, spec);
		a->gid[a->ngid++] = gr->gr_gid;
	}
}

static void account_export(struct env *e, const struct account *a)
{
	char num[FMT_ULONG];
	size_t n;

	n = fmt_ulong(num, a->gid[0]);
	env_put(e, "GID", num, n);
	n = fmt_ulong(num, a->uid);
	env_put(e, "UID", num, n);
}

static void account_become(const struct account *a)
{
	if (setgroups(a->ngid, a->gid) < 0)
		die(111, errno, "unable to setgroups");
	if (setgid(a->gid[0]) < 0)
		die(111, errno, "unable to setgid");
	if (setuid(a->uid) < 0)
		die(111, errno, "unable to setuid");
}

static void limits_apply(const struct limit_request *req)
{
	struct rlimit rl;
	int i;

	for (i = 0; i < LIM_COUNT; i++) {
		if (!req[i].wanted)
			continue;
		if (getrlimit(limit_resource[i], &rl) < 0)
			die(111, errno, "unable to getrlimit()");
		if (req[i].to_hard || (rlim_t)req[i].value > rl.rlim_max ||
		    req[i].value > (unsigned long)(rlim_t)-1)
			rl.rlim_cur = rl.rlim_max;
		else
			rl.rlim_cur = (rlim_t)req[i].value;
		if (setrlimit(limit_resource[i], &rl) < 0)
			die(111, errno, "unable to setrlimit()");
	}
}

/* Before -/, which may hide /proc. Lowering the score needs CAP_SYS_RESOURCE. */
static void oom_score_set(long adj)
{
	char num[FMT_ULONG + 1];
	size_t n = 0;
	int fd;

	if (adj < 0)
		num[n++] = '-';
	n += fmt_ulong(num + n, (unsigned long)(adj < 0 ? -adj : adj));
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die(111, errno, "unable to open /proc/self/oom_score_adj");
	if (write_all(fd, num, n) < 0)
		die(111, errno, "unable to set oom score adjustment");
	close_fd(fd);
}

/* One namespace at a time, so a failure names it. A new mount namespace first stops
 * propagation both ways, so nothing mounted in it shows up outside. */
static void namespaces_enter(uint64_t set)
{
	int i;

	for (i = 0; i < NS_COUNT; i++)
		if ((set & NS_BIT(i)) && unshare(namespace_flags[i]) < 0)
			die(111, errno, "unable to unshare namespace: ", namespace_names[i]);
	if ((set & NS_BIT(NS_MOUNT)) && mount(0, "/", 0, MS_REC | MS_PRIVATE, 0) < 0)
		die(111, errno, "unable to make mounts private");
}

/* After -/, so it is the new root's /tmp; before -C, so -C can go there. The
 * working directory is then entered again by its path: one inside the old /tmp
 * would otherwise keep writing to the host's (the mount hides it from paths,
 * not from a descriptor); where that path no longer exists, "/". */
static void tmp_private(void)
{
	char *cwd = getcwd(0, 0);

	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
		die(111, errno, "unable to mount a private /tmp");
	if ((!cwd || chdir(cwd) < 0) && chdir("/") < 0)
		die(111, errno, "unable to change directory: /");
	free(cwd);
}

/* --caps: drop from the bounding set all but s->caps (what it lacks stays lacking);
 * --ambient: refuse what the bounding set will not hold. While root's effective set
 * is still whole, as dropping needs CAP_SETPCAP. The kernel's last capability comes
 * from /proc/sys/kernel/cap_last_cap; without /proc, the first EINVAL of
 * PR_CAPBSET_READ marks it. Any other failure is fatal: a bounding set left
 * whole must never pass for a cut one. */
static void bounding_limit(const struct settings *s)
{
	char label[CAP_LABEL_MAX];
	int last = caps_last(), has;
	unsigned cap, end = last >= 0 ? (unsigned)last + 1 : CAPS_MAX;

	for (cap = 0; cap < end; cap++) {
		has = cap_bounding_has(cap);
		if (has < 0 && last < 0 && errno == EINVAL)
			break; /* past the kernel's last capability */
		if (has < 0)
			die(111, errno, "unable to read the bounding set: ", cap_label(cap, label));
		if (has && s->caps_wanted && !(s->caps & CAP_BIT(cap)) && cap_bounding_drop(cap) < 0)
			die(111, errno, "unable to drop capability: ", cap_label(cap, label));
		if (!has && (s->ambient & CAP_BIT(cap)))
			break;
	}
	/* Stopped at an ambient capability the set lacks, or at the kernel's last
	 * capability, past which nothing is in the set. */
	if (cap < CAPS_MAX && (s->ambient >> cap))
		die(111, DIAG_NOERR, "ambient capability not in the bounding set: ",
		    cap_label(caps_first(s->ambient >> cap) + cap, label));
}

/* After the user change: --caps cuts the permitted, effective and inheritable sets.
 * --ambient makes its list the whole inheritable set, then raises it as ambient (a
 * capability in both survives exec by a user); the kernel has already dropped from
 * the ambient set whatever left the inheritable one. After -u, which kept the
 * permitted set across setuid for this, the list is also all that stays permitted. */
static void caps_settle(const struct settings *s)
{
	char label[CAP_LABEL_MAX];
	struct caps c;
	unsigned cap;

	if (caps_get(&c) < 0)
		die(111, errno, "unable to get capabilities");
	if (s->caps_wanted) {
		c.permitted &= s->caps;
		c.effective &= s->caps;
		c.inheritable &= s->caps;
	}
	if (s->ambient_wanted) {
		if (s->set_user) {
			c.permitted &= s->ambient;
			c.effective &= s->ambient;
		}
		if (s->ambient & ~c.permitted)
			die(111, EPERM, "unable to raise ambient capability: ",
			    cap_label(caps_first(s->ambient & ~c.permitted), label));
		c.inheritable = s->ambient;
	}
	if (caps_set(&c) < 0)
		die(111, errno, "unable to set capabilities");
	if (!s->ambient_wanted)
		return;
	for (cap = 0; cap < CAPS_MAX; cap++)
		if ((s->ambient & CAP_BIT(cap)) && cap_ambient_raise(cap) < 0)
			die(111, errno, "unable to raise ambient capability: ", cap_label(cap, label));
}

/* Opens and locks FILE for PROG to inherit; returns 0, or -1 when setlock -x says to give up quietly. */
static int lock_for_child(const char *file, int wait, int quiet)
{
	int fd = lock_open(file);

	if (fd < 0) {
		if (quiet)
			return -1;
		die(111, errno, "unable to open lock: ", file);
	}
	if (lock_take(fd, wait) < 0) {
		if (quiet)
			return -1;
		die(111, errno, "unable to lock: ", file);
	}
	/* Keep it off 0-2 so -0/-1/-2 cannot release it, and let PROG inherit it. */
	if (fd < 3) {
		int high = fcntl(fd, F_DUPFD, 3);
		if (high < 0)
			die(111, errno, "unable to lock: ", file);
		close_fd(fd);
		fd = high;
	}
	if (fcntl(fd, F_SETFD, 0) < 0)
		die(111, errno, "unable to lock: ", file);
	return 0;
}

static void close_std(const int *which)
{
	static const char *const names[3] = { "stdin", "stdout", "stderr" };
	int fd;

	for (fd = 0; fd < 3; fd++)
		/* Already closed is what was asked for; runit fails here, we don't. */
		if (which[fd] && close(fd) < 0 && errno != EBADF && errno != EINTR)
			die(111, errno, "unable to close ", names[fd]);
}

/* Room for the longest "DIR/FILE" a PATH search can build; allocated before the
 * resource limits are lowered, so a small -d or -m cannot make the search fail. */
static char *exec_path_buffer(const char *file)
{
	const char *path = getenv("PATH");
	char *buf;

	if (strchr(file, '/'))
		return 0;
	buf = malloc(strlen(path ? path : "/bin:/usr/bin") + strlen(file) + 3);
	if (!buf)
		die_nomem();
	return buf;
}

/* execve through PATH (the caller's PATH, default /bin:/usr/bin); returns with errno set.
 * Like djb's pathexec: an empty entry is the cwd, no shell fallback on ENOEXEC, and an
 * EACCES/EPERM/EISDIR seen on the way is reported over a later ENOENT. */
static void exec_path(const char *file, char *const argv[], char *const envp[], char *candidate)
{
	const char *p;
	size_t flen = strlen(file);
	int saved = 0;

	if (!candidate) {
		execve(file, argv, envp);
		return;
	}
	p = getenv("PATH");
	if (!p)
		p = "/bin:/usr/bin";
	for (;;) {
		size_t dlen = strcspn(p, ":");

		if (dlen == 0) {
			candidate[0] = '.';
			dlen = 1;
		} else {
			memcpy(candidate, p, dlen);
		}
		candidate[dlen] = '/';
		memcpy(candidate + dlen + 1, file, flen + 1);
		execve(candidate, argv, envp);
		if (errno != ENOENT) {
			saved = errno;
			if (errno != EACCES && errno != EPERM && errno != EISDIR)
				break;
		}
		p += strcspn(p, ":");
		if (!*p)
			break;
		p++;
	}
	if (saved)
		errno = saved;
}

/* Does what the settings say, in runit's observable order, then execs PROG. */
static _Noreturn void run(struct settings *s)
{
	struct account acct;
	struct env env;
	const char *file = s->prog[0];
	char *search;

	env_init(&env);
	if (s->new_session)
		(void)setsid();
	if (s->envdir)
		envdir_apply(&env, s->envdir, s->envdir_strict, s->verbose);
	if (s->oom_wanted)
		oom_score_set(s->oom_score_adj);
	namespaces_enter(s->unshare);
	if (s->caps_wanted || s->ambient_wanted)
		bounding_limit(s);
	if (s->root) {
		if (chdir(s->root) < 0)
			die(111, errno, "unable to change directory: ", s->root);
		if (chroot(".") < 0)
			die(111, errno, "unable to change root directory");
	}
	if (s->private_tmp)
		tmp_private();
	if (s->cwd && chdir(s->cwd) < 0)
		die(111, errno, "unable to change directory: ", s->cwd);
	if (s->nice_wanted) {
		errno = 0;
		if (nice((int)s->nice_inc) == -1 && errno)
			die(111, errno, "unable to set nice level");
	}
	if (s->env_user) {
		account_resolve(s->env_user, s->account_only, &acct);
		account_export(&env, &acct);
	}
	if (s->set_user) {
		account_resolve(s->set_user, s->account_only, &acct);
		if (s->ambient_wanted && caps_keep_on_setuid(1) < 0)
			die(111, errno, "unable to keep capabilities");
		account_become(&acct);
	}
	if (s->lock && lock_for_child(s->lock, s->lock_wait, s->quiet_failure) < 0)
		_exit(0);
	close_std(s->close_std);
	search = exec_path_buffer(file);
	limits_apply(s->limit);
	if (s->caps_wanted || s->ambient_wanted)
		caps_settle(s);
	if (s->umask_wanted)
		umask((mode_t)s->umask);
	/* Last: nothing chpst does itself needs privilege from an exec after this. */
	if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL) < 0)
		die(111, errno, "unable to set no_new_privs");

	if (s->argv0)
		s->prog[0] = (char *)s->argv0;
	exec_path(file, s->prog, env.v, search);
	if (s->quiet_failure)
		_exit(0);
	die(111, errno, "unable to run: ", s->prog[0]);
}

int main(int argc, char **argv)
{
	struct settings s;

	diag_prefix = "chpst";
	switch (parse_args(argc, argv, &s)) {
	case PARSE_OK:
		run(&s);
	case PARSE_VERSION:
		print_version(); /* -V ends in the usage error, as runit's does */
		/* FALLTHROUGH */
	case PARSE_USAGE:
		die_usage(100, s.name, personalities[s.as].usage);
	case PARSE_USAGE_CHPST:
		die_usage(100, s.name, personalities[AS_CHPST].usage);
	}
	return 100;
}
