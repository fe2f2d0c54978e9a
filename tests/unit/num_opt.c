/* Unit tests for num.c, opt.c and errstr.c. */
#include <errno.h>
#include <limits.h>

#include "errstr.h"
#include "num.h"
#include "opt.h"
#include "tap.h"

int main(void)
{
	unsigned long u;
	char buf[FMT_ULONG];

	ok(scan_ulong("123abc", &u) == 3 && u == 123, "decimal prefix");
	ok(scan_ulong("-5", &u) == 0 && u == 0, "no sign");
	ok(scan_ulong("", &u) == 0 && u == 0, "empty is 0");
	ok(scan_ulong("99999999999999999999999", &u) == 23 && u == ULONG_MAX, "saturates");
	ok(scan_ulong_all("42", &u) && u == 42, "whole number");
	ok(!scan_ulong_all("42x", &u) && !scan_ulong_all("", &u), "partial is not whole");
	ok(fmt_ulong(buf, 0) == 1 && buf[0] == '0', "fmt 0");
	fmt_ulong(buf, 4294967295UL);
	is_str(buf, "4294967295", "fmt large");
	{
		char big[FMT_ULLONG], hex[FMT_XULLONG];

		ok(fmt_ullong(big, 18446744073709551615ULL) == 20, "fmt_ullong: 2^64-1 has 20 digits");
		is_str(big, "18446744073709551615", "fmt_ullong: 2^64-1");
		ok(fmt_ullong(big, 0) == 1 && !strcmp(big, "0"), "fmt_ullong 0");
		ok(fmt_xullong(hex, 0) == 1 && !strcmp(hex, "0"), "fmt_xullong 0");
		ok(fmt_xullong(hex, 0x803) == 3 && !strcmp(hex, "803"), "fmt_xullong: no leading zeros");
		ok(fmt_xullong(hex, 0xfedcba9876543210ULL) == 16, "fmt_xullong: 16 digits at most");
		is_str(hex, "fedcba9876543210", "fmt_xullong: lower case");
	}

	{
		char *argv[] = { "/x/prog", "-vw5", "-e", "dir", "-012", "--", "-a", 0 };
		struct opt o = OPT_INIT;
		ok(opt_next(&o, 7, argv, "vw:e:012") == 'v', "grouped first");
		ok(opt_next(&o, 7, argv, "vw:e:012") == 'w' && !strcmp(o.arg, "5"), "attached arg");
		ok(opt_next(&o, 7, argv, "vw:e:012") == 'e' && !strcmp(o.arg, "dir"), "separate arg");
		ok(opt_next(&o, 7, argv, "vw:e:012") == '0', "group 0");
		ok(opt_next(&o, 7, argv, "vw:e:012") == '1', "group 1");
		ok(opt_next(&o, 7, argv, "vw:e:012") == '2', "group 2");
		ok(opt_next(&o, 7, argv, "vw:e:012") == -1 && o.ind == 6, "-- ends options");
	}
	{
		char *argv[] = { "sv", "status", "-v", 0 };
		struct opt o = OPT_INIT;
		ok(opt_next(&o, 3, argv, "v") == -1 && o.ind == 1, "no permutation");
	}
	{
		char *argv[] = { "sv", "-", 0 };
		struct opt o = OPT_INIT;
		ok(opt_next(&o, 2, argv, "v") == -1 && o.ind == 1, "lone - is an operand");
	}
	{
		static const struct opt_long longs[] = { { "flag", 0 }, { "with", 1 } };
		char *argv[] = { "chpst", "--flag", "-v", "--with=a", "--with", "b", "--", "--flag", 0 };
		struct opt o = OPT_INIT;

		ok(opt_next_long(&o, 8, argv, "v", longs, 2) == OPT_LONG && !o.arg, "long: a flag");
		ok(opt_next_long(&o, 8, argv, "v", longs, 2) == 'v', "long: a short option after it");
		ok(opt_next_long(&o, 8, argv, "v", longs, 2) == OPT_LONG + 1 && !strcmp(o.arg, "a"),
		    "long: --NAME=ARG");
		ok(opt_next_long(&o, 8, argv, "v", longs, 2) == OPT_LONG + 1 && !strcmp(o.arg, "b"),
		    "long: --NAME ARG");
		ok(opt_next_long(&o, 8, argv, "v", longs, 2) == -1 && o.ind == 7, "long: -- ends them");
	}
	{
		static const struct opt_long longs[] = { { "flag", 0 }, { "with", 1 } };
		char *bad1[] = { "chpst", "--nope", 0 }, *bad2[] = { "chpst", "--flag=x", 0 },
		    *bad3[] = { "chpst", "--with", 0 }, *bad4[] = { "chpst", "--fla", 0 };
		struct opt o1 = OPT_INIT, o2 = OPT_INIT, o3 = OPT_INIT, o4 = OPT_INIT;

		ok(opt_next_long(&o1, 2, bad1, "v", longs, 2) == '?', "long: unknown");
		ok(opt_next_long(&o2, 2, bad2, "v", longs, 2) == '?', "long: an argument it takes not");
		ok(opt_next_long(&o3, 2, bad3, "v", longs, 2) == '?', "long: its argument missing");
		ok(opt_next_long(&o4, 2, bad4, "v", longs, 2) == '?', "long: a prefix is not the name");
	}
	is_str(errstr(ENOENT), "file does not exist", "ENOENT text");
	is_str(errstr(EAGAIN), "temporary failure", "EAGAIN wins over EWOULDBLOCK");
	is_str(errstr(EACCES), "access denied", "EACCES text");
	is_str(errstr(0), "no error", "errno 0");
	is_str(errstr(123456), "unknown error", "unknown errno");
	return done_testing();
}
