/* Unit tests for svfmt.c: the JSON object, JSON strings from any bytes, Prometheus lines, local ISO-8601 times. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "svfmt.h"
#include "tap.h"

static char got[65536];
static size_t gotlen;

static void collect(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (gotlen + n < sizeof got) {
		memcpy(got + gotlen, s, n);
		gotlen += n;
	}
	got[gotlen] = 0;
}

static const struct svfmt_out out = { collect, 0 };

static void reset(void)
{
	gotlen = 0;
	got[0] = 0;
}

/* Is s well-formed UTF-8 with no raw control byte? */
static int clean_json_text(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
		    c >= 0xf0 && c <= 0xf4 ? 4 : 0;

		if (!len || i + len > n || c < 0x20 || c == 0x7f)
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

int main(void)
{
	struct svfmt_slot s, log;
	struct svinfo info;
	char t[SVFMT_TIME_MAX];
	uint64_t now;

	memset(&s, 0, sizeof s);
	s.name = "web";
	tain_from_unix(&s.st.stamp, 1764502345, 123456);
	now = s.st.stamp.sec + 7;
	s.st.pid = 4987;
	s.st.want = 'u';
	s.st.state = SV_RUN;
	s.normally_up = 1;
	reset();
	svfmt_json(&out, &s, 0, now);
	is_str(got, "{\"name\":\"web\",\"state\":\"run\",\"pid\":4987,\"since\":1764502345.123456500,"
	    "\"seconds\":7,\"want\":\"up\",\"normally\":\"up\",\"paused\":false,\"got_term\":false,"
	    "\"ready\":null,\"ready_since\":null,\"last_exit\":null,\"starts\":null,"
	    "\"status_text\":null,\"oneshot\":null,\"waiting_count\":null,\"waiting\":null,\"readiness_error\":null,"
	    "\"next_start\":null,\"gave_up\":null,\"gave_up_exits\":null,\"template\":null,\"instance\":null,\"log\":null}\n", "a running service under runit's runsv");

	memset(&info, 0, sizeof info);
	info.pid = 4987;
	info.since = s.st.stamp;
	info.starts = 3;
	info.exit_kind = SVINFO_EXIT_SIGNAL;
	info.exit_value = 9;
	info.readiness = SVINFO_READY_NOTIFY;
	info.ready = 1;
	tain_from_unix(&info.ready_since, 1764502346, 0);
	strcpy(info.status_text, "listening on :80");
	s.info = &info;
	s.st.want = 'd';
	s.want_exit = 1;
	s.st.term = 1;
	s.normally_up = 0;
	memset(&log, 0, sizeof log);
	log.name = "web/log";
	log.error = "runsv not running";
	reset();
	svfmt_json(&out, &s, &log, now);
	is_str(got, "{\"name\":\"web\",\"state\":\"run\",\"pid\":4987,\"since\":1764502345.123456500,"
	    "\"seconds\":7,\"want\":\"exit\",\"normally\":\"down\",\"paused\":false,\"got_term\":true,"
	    "\"ready\":true,\"ready_since\":1764502346.000000500,\"last_exit\":{\"signal\":9},"
	    "\"starts\":3,\"status_text\":\"listening on :80\",\"oneshot\":null,\"waiting_count\":null,\"waiting\":null,\"readiness_error\":null,"
	    "\"next_start\":null,\"gave_up\":false,\"gave_up_exits\":null,\"template\":null,\"instance\":null,"
	    "\"log\":{\"name\":\"web/log\",\"error\":\"runsv not running\"}}\n",
	    "runit-ng's info, want exit, a log whose runsv is gone");

	log.error = 0;
	log.st.stamp = s.st.stamp;
	log.st.want = 'u';
	log.normally_up = -1;
	info.exit_kind = SVINFO_EXIT_CODE;
	info.exit_value = 3;
	info.ready = 0;
	info.status_text[0] = 0;
	reset();
	svfmt_json(&out, &s, &log, now);
	ok(strstr(got, "\"ready\":false,\"ready_since\":null,\"last_exit\":{\"code\":3}") != 0,
	    "not ready, exit code");
	ok(strstr(got, "\"log\":{\"name\":\"web/log\",\"state\":\"down\",\"pid\":null,") != 0 &&
	    strstr(got, "\"normally\":null") != 0 && strstr(got, "\"status_text\":null,\"oneshot\":null,\"waiting_count\":null,\"waiting\":null,\"readiness_error\":null,\"next_start\":null,\"gave_up\":null,\"gave_up_exits\":null,\"template\":null,\"instance\":null}}\n") != 0,
	    "a log object without info, its down file unknown");

	s.error = "unable to change to service directory: file does not exist";
	reset();
	svfmt_json(&out, &s, 0, now);
	is_str(got, "{\"name\":\"web\",\"error\":\"unable to change to service directory: file does not exist\"}\n",
	    "an error is an object with name and error only");
	s.error = 0;

	/* strings from any bytes */
	reset();
	svfmt_json_string(&out, "a\"b\\c\n\t\x01\x7f", 9);
	is_str(got, "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\"", "quotes, backslash, control bytes");
	reset();
	svfmt_json_string(&out, "caf\xc3\xa9 \xf0\x9f\x98\x80", 10);
	is_str(got, "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", "valid UTF-8 passes");
	reset();
	svfmt_json_string(&out, "\xff|\xc0\xaf|\xed\xa0\x80|\xe2\x82|\xf4\x90\x80\x80", 16);
	is_str(got, "\"\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
	    "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	    "invalid bytes, overlong, surrogate, truncated, beyond U+10FFFF: U+FFFD each");
	{
		unsigned seed = 1;
		int all = 1;

		for (int round = 0; round < 2000; round++) {
			char bytes[64];
			size_t n = (size_t)(rand_r(&seed) % 64);

			for (size_t i = 0; i < n; i++)
				bytes[i] = (char)rand_r(&seed);
			reset();
			svfmt_json_string(&out, bytes, n);
			all = all && clean_json_text((unsigned char *)got, gotlen);
		}
		ok(all, "2000 random byte strings: always well-formed UTF-8 without raw control bytes");
	}

	/* Prometheus */
	{
		struct svfmt_slot two[2];

		two[0] = s;
		two[1] = log;
		two[1].name = "we\"ird\\name\n";
		reset();
		svfmt_prom(&out, two, 2);
		ok(strstr(got, "# HELP runit_service_up ") != 0 && strstr(got, "# TYPE runit_service_up gauge\n") != 0,
		    "HELP and TYPE");
		ok(strstr(got, "runit_service_up{service=\"web\"} 1\n") != 0, "up sample");
		ok(strstr(got, "runit_service_state{service=\"web\",state=\"run\"} 1\n") != 0 &&
		    strstr(got, "runit_service_state{service=\"web\",state=\"down\"} 0\n") != 0,
		    "one state series per state");
		ok(strstr(got, "runit_service_start_time_seconds{service=\"web\"} 1764502345.123456500\n") != 0,
		    "start time");
		ok(strstr(got, "runit_service_starts_total{service=\"web\"} 3\n") != 0 &&
		    strstr(got, "# TYPE runit_service_starts_total counter\n") != 0, "starts counter");
		ok(strstr(got, "runit_service_last_exit_code{service=\"web\"} 3\n") != 0 &&
		    !strstr(got, "runit_service_last_exit_signal{"), "exit code, no signal sample");
		ok(strstr(got, "runit_service_up{service=\"we\\\"ird\\\\\\\\name\\n\"} 0\n") != 0,
		    "label escaping (a name's backslash doubled in its shown form, then escaped)");
		ok(!strstr(got, "runit_service_starts_total{service=\"we\\\""), "no info: no starts sample");
		two[1].error = "runsv not running";
		reset();
		svfmt_prom(&out, two, 2);
		ok(strstr(got, "runit_service_supervised{service=\"we\\\"ird\\\\\\\\name\\n\"} 0\n") != 0 &&
		    !strstr(got, "runit_service_up{service=\"we\\\""), "an unreadable service: supervised 0, nothing else");
	}

	/* names: distinct and reversible whatever their bytes */
	{
		char shown[64];
		size_t k;

		k = svfmt_name(shown, "web", 3);
		ok(k == 3 && !memcmp(shown, "web", 3), "a UTF-8 name without backslash: as it is");
		k = svfmt_name(shown, "a\\xff", 5);
		shown[k] = 0;
		is_str(shown, "a\\\\xff", "a backslash is doubled (else it could stand for a byte)");
		k = svfmt_name(shown, "a\xff", 2);
		shown[k] = 0;
		is_str(shown, "a\\xff", "a byte that is not UTF-8: \\xHH");
		k = svfmt_name(shown, "caf\xc3\xa9\xe9", 6);
		shown[k] = 0;
		is_str(shown, "caf\xc3\xa9\\xe9", "valid sequences kept, the bad byte escaped");
		reset();
		svfmt_json_name(&out, "x\xfe");
		is_str(got, "\"x\\\\xfe\"", "JSON: the shown form as a string");
	}
	{
		struct svfmt_slot three[3];

		memset(three, 0, sizeof three);
		three[0].name = "a\xff";
		three[1].name = "a\xfe";
		three[2].name = "a\xff";
		reset();
		svfmt_prom(&out, three, 3);
		ok(strstr(got, "runit_service_up{service=\"a\\\\xff\"} 0\n") != 0 &&
		    strstr(got, "runit_service_up{service=\"a\\\\xfe\"} 0\n") != 0,
		    "prom: two names that differ in a bad byte are two series");
		{
			const char *first = strstr(got, "runit_service_up{service=\"a\\\\xff\"}");

			ok(first && !strstr(first + 1, "runit_service_up{service=\"a\\\\xff\"}"),
			    "prom: a name given twice is one series");
		}
	}

	/* local time */
	setenv("TZ", "XYZ-3", 1);
	tzset();
	svfmt_localtime(t, 0, 0);
	is_str(t, "1970-01-01T03:00:00.000000+03:00", "three hours east");
	setenv("TZ", "ABC+5:30", 1);
	tzset();
	svfmt_localtime(t, 1764502345, 123456789);
	is_str(t, "2025-11-30T06:02:25.123456-05:30", "five and a half hours west, microseconds");
	setenv("TZ", "UTC0", 1);
	tzset();
	svfmt_localtime(t, 1764502345, 500);
	is_str(t, "2025-11-30T11:32:25.000000+00:00", "UTC");
	return done_testing();
}
