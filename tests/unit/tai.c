/* Unit tests for tai.c: packing, hex labels, dates. */
#include "tai.h"
#include "tap.h"

int main(void)
{
	struct tain t, u;
	unsigned char b[TAIN_PACK];
	char hex[TAIN_HEX + 1] = { 0 }, date[TAIN_DATE + 1] = { 0 };

	tain_from_unix(&t, 0, 0);
	ok(t.sec == 0x400000000000000aULL, "unix 0 is 2^62+10");
	ok(t.nano == 500, "nano is usec*1000+500");
	tain_pack(b, &t);
	is_mem(b, "\x40\0\0\0\0\0\0\x0a\0\0\x01\xf4", 12, "packed big-endian");
	tain_unpack(b, &u);
	ok(u.sec == t.sec && u.nano == t.nano, "unpack inverts pack");

	tain_from_unix(&t, 1795999846, 902113);
	tain_fmt_date(date, &t, '_');
	is_str(date, "2026-11-30_00:50:46.90211", "-tt shape, fraction truncated");
	tain_fmt_date(date, &t, 'T');
	is_str(date, "2026-11-30T00:50:46.90211", "-ttt shape");
	tain_fmt_hex(hex, &t);
	is_str(hex, "@400000006b0cc87035c528dc", "hex label of a known time");
	ok(hex[0] == '@' && strspn(hex + 1, "0123456789abcdef") == 24, "hex label is @ + 24 lower-case hex");

	tain_from_unix(&t, 951782400, 0); /* 2000-02-29 */
	tain_fmt_date(date, &t, '_');
	is_str(date, "2000-02-29_00:00:00.00000", "leap day 2000");
	tain_from_unix(&t, 4107542399LL, 999999); /* 2100-02-28 23:59:59 */
	tain_fmt_date(date, &t, '_');
	is_str(date, "2100-02-28_23:59:59.99999", "2100 is not a leap year");

	tain_from_unix(&t, 5, 0);
	tain_from_unix(&u, 5, 1);
	ok(tain_less(&t, &u) && !tain_less(&u, &t), "tain_less orders by nano");
	tain_now(&t);
	ok(t.nano % 1000 == 500, "now ends in 500 ns");
	return done_testing();
}
