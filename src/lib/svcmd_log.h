/* svcmd_log.h: sv log: the service's svlogd directory, read and followed. */
#ifndef RNG_SVCMD_LOG_H
#define RNG_SVCMD_LOG_H

/* sv log SERVICE...: each service's log; with -f, then what is added to
 * them, like tail -F, until INT, TERM or the reader gone (then exits).
 * Returns the exit code. */
int sv_log_all(char **names, int n);
#endif
