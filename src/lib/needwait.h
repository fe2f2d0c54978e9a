/* needwait.h: runsv's wait, by inotify, for its needs to become ready (before ./run) or for the services that need it to stop (before its own stop). */
#ifndef RNG_NEEDWAIT_H
#define RNG_NEEDWAIT_H
#include <stddef.h>
#include <stdint.h>

#include "needs.h"
#include "svread.h"
#include "svwatch.h"

/* A need that cannot be watched (no inotify, no watch left) is looked at
 * this often; nothing else is looked at on a clock. */
#define NEEDWAIT_POLL_MS 1000

enum needwait_mode {
	NEEDWAIT_UP,   /* every need ready: ./run may start */
	NEEDWAIT_STOP, /* every dependent stopped: the service may stop */
};

struct needwait {
	enum needwait_mode mode;
	int active;          /* a wait is on: the fields below are valid */
	struct needs list;
	struct svwatch watch; /* watch.fd -1 when there is none */
	int watch_tried;     /* the inotify instance was asked for (once) */
	struct svread *r;    /* scratch for the looks, kept across waits */
	int home_fd;         /* runsv's service directory, to come back to */
	int parent_fd;       /* where the service's plain names resolve */
	const char *self;    /* the service's name there */
	int cycle;           /* its needs lead back to it: nothing is ready */
	char cycle_path[NEED_REASON_MAX];
	const char *invalid; /* the needs file is unreadable: why */
	size_t not_ready;    /* needs (dependents) not ready (stopped) */
};

/*
 * Starts a wait. UP: reads the service's needs file (from home_fd), looks
 * for a cycle through it, and asks each need up. STOP: finds the services
 * beside it whose needs name it. 0 nothing to wait for (no needs file, or
 * no dependent), 1 waiting: poll needwait_fd() and call needwait_event on
 * input, needwait_look at needwait_due(). -1 with errno: the wait cannot
 * be set up (out of memory); the caller decides.
 */
int needwait_begin(struct needwait *w, enum needwait_mode mode, int home_fd,
    int parent_fd, const char *self);
/* Looks again at what changed or is due; 1 when all is ready (stopped). */
int needwait_look(struct needwait *w, uint64_t now_ms);
/* The inotify descriptor to poll while waiting, or -1. */
int needwait_fd(const struct needwait *w);
/* Reads its events: the needs they concern are looked at next. */
void needwait_event(struct needwait *w);
/* The monotonic ms of the next look on a clock, or 0 for none. */
uint64_t needwait_due(const struct needwait *w);
/* Ends the wait: watches and list go (the scratch space stays). */
void needwait_end(struct needwait *w);

/* supervise/info's waiting= value (svinfo.h): the needs not ready, in
 * file order, as many as fit in size. */
void needwait_text(const struct needwait *w, char *out, size_t size);
#endif
