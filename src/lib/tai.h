/* tai.h: TAI64N labels as runit writes them (no leap-second table). */
#ifndef RNG_TAI_H
#define RNG_TAI_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TAI_OFFSET 4611686018427387914ULL /* 2^62 + 10 */
#define TAIN_PACK 12                      /* packed TAI64N bytes */
#define TAIN_HEX 25                       /* "@" + 24 lower-case hex digits */
#define TAIN_DATE 25                      /* "YYYY-MM-DD_HH:MM:SS.fffff" */

struct tain {
	uint64_t sec; /* TAI64 label: unix seconds + TAI_OFFSET */
	uint32_t nano;
};

/* Now, from the real-time clock, with nano = usec*1000 + 500 as runit does. */
void tain_now(struct tain *t);
void tain_from_unix(struct tain *t, int64_t sec, long usec);
int64_t tain_unix(const struct tain *t);
int tain_less(const struct tain *a, const struct tain *b);
/* t += ms milliseconds. */
void tain_add_ms(struct tain *t, unsigned long ms);
void tain_pack(unsigned char out[TAIN_PACK], const struct tain *t);
void tain_unpack(const unsigned char in[TAIN_PACK], struct tain *t);
/* "@" + hex: writes TAIN_HEX bytes, no NUL. */
void tain_fmt_hex(char out[TAIN_HEX], const struct tain *t);
/* UTC "YYYY-MM-DD?HH:MM:SS.fffff" with sep between date and time ('_' or 'T');
 * writes TAIN_DATE bytes, no NUL. */
void tain_fmt_date(char out[TAIN_DATE], const struct tain *t, char sep);

#define TAIN_UNIX_MAX 32 /* "-SSSSSSSSSSSSSSSSSSS.NNNNNNNNN" and a NUL */
/* Unix time with nanoseconds, "SEC.NNNNNNNNN" (9 digits), NUL-terminated;
 * returns the length. runit-ng's own text files use this shape. */
size_t tain_fmt_unix(char out[TAIN_UNIX_MAX], const struct tain *t);
/* The inverse: the whole of s must be SEC.NNNNNNNNN (or SEC); 0, or -1. */
int tain_scan_unix(const char *s, size_t len, struct tain *t);
#endif
