/* signame.h: signal names and numbers, both ways (down-signal). */
#ifndef RNG_SIGNAME_H
#define RNG_SIGNAME_H
#include <stddef.h>

/*
 * What names a signal:
 *   - a Linux signal name, with or without the "SIG" prefix, in any case:
 *     "HUP", "SIGHUP", "hup" and "SigHup" are all SIGHUP. The usual
 *     aliases are taken: IOT (ABRT), CLD (CHLD), POLL (IO).
 *   - the C library's realtime range: "RTMIN", "RTMIN+N", "RTMAX",
 *     "RTMAX-N" (with or without SIG, any case), while the result stays
 *     within SIGRTMIN..SIGRTMAX (glibc keeps 32 and 33, musl 32 to 34, for
 *     itself, so RTMIN is not a fixed number);
 *   - a decimal number 1 .. 64 (NSIG - 1): digits only, no sign, no blank.
 * "0", "SIG", "", "TERM " and unknown names name no signal.
 */

/* The signal number s[0..len) names, or 0 when it names none. */
int signame_parse(const char *s, size_t len);

#define SIGNAME_MAX 16 /* the longest output of signame_fmt, with its NUL */
/* Writes the name without "SIG" ("TERM", "RTMIN+3"), or the number in
 * decimal when the signal has no name; NUL-terminated. Returns its length. */
size_t signame_fmt(char out[SIGNAME_MAX], int sig);
#endif
