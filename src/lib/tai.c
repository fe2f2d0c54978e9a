/* tai.c: TAI64N labels as runit writes them (no leap-second table). */
#include <sys/time.h>

#include "num.h"
#include "tai.h"

void tain_from_unix(struct tain *t, int64_t sec, long usec)
{
	t->sec = (uint64_t)sec + TAI_OFFSET;
	t->nano = (uint32_t)(usec * 1000 + 500);
}

void tain_now(struct tain *t)
{
	struct timeval tv;

	gettimeofday(&tv, 0); /* cannot fail with a valid pointer */
	tain_from_unix(t, tv.tv_sec, tv.tv_usec);
}

int64_t tain_unix(const struct tain *t)
{
	return (int64_t)(t->sec - TAI_OFFSET);
}

int tain_less(const struct tain *a, const struct tain *b)
{
	return a->sec < b->sec || (a->sec == b->sec && a->nano < b->nano);
}

void tain_add_ms(struct tain *t, unsigned long ms)
{
	uint64_t nano = t->nano + (uint64_t)(ms % 1000) * 1000000;

	t->sec += ms / 1000 + nano / 1000000000;
	t->nano = (uint32_t)(nano % 1000000000);
}

void tain_pack(unsigned char out[TAIN_PACK], const struct tain *t)
{
	for (int i = 0; i < 8; i++)
		out[i] = (unsigned char)(t->sec >> (56 - 8 * i));
	for (int i = 0; i < 4; i++)
		out[8 + i] = (unsigned char)(t->nano >> (24 - 8 * i));
}

void tain_unpack(const unsigned char in[TAIN_PACK], struct tain *t)
{
	t->sec = 0;
	for (int i = 0; i < 8; i++)
		t->sec = t->sec << 8 | in[i];
	t->nano = 0;
	for (int i = 0; i < 4; i++)
		t->nano = t->nano << 8 | in[8 + i];
}

void tain_fmt_hex(char out[TAIN_HEX], const struct tain *t)
{
	unsigned char packed[TAIN_PACK];

	tain_pack(packed, t);
	out[0] = '@';
	fmt_hex(out + 1, packed, TAIN_PACK);
}

static void two(char *out, unsigned v)
{
	out[0] = (char)('0' + v / 10 % 10);
	out[1] = (char)('0' + v % 10);
}

/* Proleptic Gregorian date from days since 1970-01-01 (era-based arithmetic). */
static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void tain_fmt_date(char out[TAIN_DATE], const struct tain *t, char sep)
{
	int64_t unix = tain_unix(t);
	int64_t days = unix >= 0 ? unix / 86400 : (unix - 86399) / 86400;
	unsigned secs = (unsigned)(unix - days * 86400);
	int64_t year;
	unsigned month, day, frac = t->nano / 10000;

	civil(days, &year, &month, &day);
	two(out, (unsigned)(year / 100 % 100));
	two(out + 2, (unsigned)(year % 100));
	out[4] = '-';
	two(out + 5, month);
	out[7] = '-';
	two(out + 8, day);
	out[10] = sep;
	two(out + 11, secs / 3600);
	out[13] = ':';
	two(out + 14, secs / 60 % 60);
	out[16] = ':';
	two(out + 17, secs % 60);
	out[19] = '.';
	for (int i = 24; i >= 20; i--) {
		out[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
}

size_t tain_fmt_unix(char out[TAIN_UNIX_MAX], const struct tain *t)
{
	int64_t unix = tain_unix(t);
	uint32_t nano = t->nano % 1000000000u;
	size_t len = 0;

	if (unix < 0) {
		out[len++] = '-';
		len += fmt_ulong(out + len, (unsigned long)-(unix + 1) + 1);
	} else
		len += fmt_ulong(out + len, (unsigned long)unix);
	out[len++] = '.';
	for (int i = 8; i >= 0; i--) {
		out[len + (size_t)i] = (char)('0' + nano % 10);
		nano /= 10;
	}
	len += 9;
	out[len] = '\0';
	return len;
}

int tain_scan_unix(const char *s, size_t len, struct tain *t)
{
	uint64_t sec = 0;
	uint32_t nano = 0;
	size_t i = 0, digits = 0;
	int neg = 0;

	if (len && s[0] == '-') {
		neg = 1;
		i++;
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (sec > (UINT64_MAX / 2 - 9) / 10)
			return -1;
		sec = sec * 10 + (uint64_t)(s[i] - '0');
	}
	if (!digits)
		return -1;
	if (i < len) {
		if (s[i++] != '.' || len - i != 9)
			return -1;
		for (; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			nano = nano * 10 + (uint32_t)(s[i] - '0');
		}
	}
	t->sec = neg ? TAI_OFFSET - sec : TAI_OFFSET + sec;
	t->nano = nano;
	return 0;
}
