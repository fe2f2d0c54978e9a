/* pgrp.h: is a process group still alive, zombies not counted (kill-tree by process group). */
#ifndef RNG_PGRP_H
#define RNG_PGRP_H
#include <stddef.h>
#include <sys/types.h>

/*
 * 1 when some process of group pgrp has not ended, 0 when none has:
 * kill(-pgrp, 0) first (ESRCH: none at all), then, only when that finds
 * some, /proc/N/stat of every process, for members that are not zombies.
 * A zombie has ended; it stays in the group until its parent reaps it,
 * which a parent that left the group (setsid) may never do, and no
 * signal removes it. -1 with errno when /proc cannot be read (then the
 * caller should count the group as alive).
 */
int pgrp_alive(pid_t pgrp);

/* One /proc/N/stat line: its state letter and process group, or 0 when
 * the line does not parse. Pure. */
int pgrp_stat_parse(const char *line, size_t len, char *state, pid_t *pgrp);
#endif
