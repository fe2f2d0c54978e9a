/* num.c: djb-style unsigned decimal scanning and formatting (and hex). */
#include <limits.h>

#include "num.h"

size_t scan_ulong(const char *s, unsigned long *out)
{
	unsigned long u = 0;
	size_t i = 0;

	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		u = u > (ULONG_MAX - d) / 10 ? ULONG_MAX : u * 10 + d;
	}
	*out = u;
	return i;
}

int scan_ulong_all(const char *s, unsigned long *out)
{
	size_t n = scan_ulong(s, out);
	return n > 0 && s[n] == '\0';
}

/* u's digits in base (10 or 16), most significant first, and a NUL. */
static size_t fmt_base(char *s, unsigned long long u, unsigned base)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[FMT_ULLONG]; /* the most digits: 20, in decimal */
	size_t n = 0, i;

	do {
		tmp[n++] = digits[u % base];
		u /= base;
	} while (u);
	for (i = 0; i < n; i++)
		s[i] = tmp[n - 1 - i];
	s[n] = '\0';
	return n;
}

size_t fmt_ulong(char *s, unsigned long u)
{
	return fmt_base(s, u, 10);
}

size_t fmt_ullong(char *s, unsigned long long u)
{
	return fmt_base(s, u, 10);
}

size_t fmt_xullong(char *s, unsigned long long u)
{
	return fmt_base(s, u, 16);
}

void fmt_hex(char *out, const unsigned char *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
}
