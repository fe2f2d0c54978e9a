/* num.h: djb-style unsigned decimal scanning and formatting (and hex). */
#ifndef RNG_NUM_H
#define RNG_NUM_H
#include <stddef.h>

#define FMT_ULONG 21 /* enough for any unsigned long in decimal, plus NUL */

/* Scans a decimal prefix (no sign, no blanks); returns digits used, 0 if none.
 * Values past ULONG_MAX saturate. *out is 0 when no digit was found. */
size_t scan_ulong(const char *s, unsigned long *out);
/* Like scan_ulong, but returns 1 only when the whole string is a non-empty number. */
int scan_ulong_all(const char *s, unsigned long *out);
/* Writes u in decimal, NUL-terminated; returns the length without the NUL. */
size_t fmt_ulong(char *s, unsigned long u);
/* The same for 64 bits on every ABI (unsigned long has 32 on some). */
#define FMT_ULLONG 21
size_t fmt_ullong(char *s, unsigned long long u);
/* u in lower-case hex, no leading zeros, NUL-terminated; returns the length. */
#define FMT_XULLONG 17
size_t fmt_xullong(char *s, unsigned long long u);
/* Lower-case hex of n bytes: writes 2n characters, no NUL. */
void fmt_hex(char *out, const unsigned char *in, size_t n);
#endif
