/* svcmd_watch.h: sv watch: the state of each service, then a line per change, woken by inotify only. */
#ifndef RNG_SVCMD_WATCH_H
#define RNG_SVCMD_WATCH_H

/* sv watch SERVICE...: the current state of each, then a line per change,
 * until SIGINT, SIGTERM or the reader gone (exit 0). Asleep in poll meanwhile. */
_Noreturn void sv_watch_all(char **names, int n);
#endif
