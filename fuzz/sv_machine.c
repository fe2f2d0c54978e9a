/* fuzz/sv_machine.c: libFuzzer harness for what sv's new outputs parse or escape: JSON strings and service names (reversible) from any bytes, svlogd lines and their stamps, svlogd's command line, supervise/info. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "svfmt.h"
#include "svinfo.h"
#include "svlog.h"

static unsigned char out[1 << 18];
static size_t outlen;

static void collect(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (outlen + n > sizeof out)
		abort(); /* no input makes that much of so little */
	memcpy(out + outlen, s, n);
	outlen += n;
}

/* The JSON text must be UTF-8 with no raw control byte, quoted, escapes well formed. */
static void check_json_string(void)
{
	size_t i = 1;

	if (outlen < 2 || out[0] != '"' || out[outlen - 1] != '"')
		abort();
	while (i < outlen - 1) {
		unsigned c = out[i];

		if (c < 0x20 || c == 0x7f || c == '"')
			abort();
		if (c == '\\') {
			if (i + 1 >= outlen - 1 || !strchr("\"\\nrtbfu", out[i + 1]))
				abort();
			i += out[i + 1] == 'u' ? 6 : 2;
			continue;
		}
		if (c >= 0x80) {
			size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;

			if (!len || i + len > outlen - 1)
				abort();
			for (size_t k = 1; k < len; k++)
				if ((out[i + k] & 0xc0) != 0x80)
					abort();
			i += len;
			continue;
		}
		i++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct svfmt_out o = { collect, 0 };

	if (size < 1)
		return 0;
	outlen = 0;
	switch (data[0] % 5) {
	case 0:
		svfmt_json_string(&o, (const char *)data + 1, size - 1);
		check_json_string();
		break;
	case 4: {
		/* a name (no NUL in it): its JSON is valid, its shown form decodes back */
		char *name = strndup((const char *)data + 1, size - 1), *shown, *back;
		size_t n, k, j = 0;

		if (!name)
			return 0;
		n = strlen(name);
		svfmt_json_name(&o, name);
		check_json_string();
		k = svfmt_name(0, name, n);
		shown = malloc(k + 1);
		back = malloc(n + 1);
		if (!shown || !back || k > 4 * n || svfmt_name(shown, name, n) != k)
			abort();
		if (memchr(shown, '\\', k) || k != n) {
			for (size_t i = 0; i < k; j++) {
				if (shown[i] == '\\' && i + 1 < k && shown[i + 1] == '\\') {
					back[j] = '\\';
					i += 2;
				} else if (shown[i] == '\\' && i + 3 < k && shown[i + 1] == 'x') {
					back[j] = (char)strtol((char[]){ shown[i + 2], shown[i + 3], 0 }, 0, 16);
					i += 4;
				} else {
					back[j] = shown[i++];
				}
			}
		} else {
			memcpy(back, shown, k);
			j = k;
		}
		if (j != n || memcmp(back, name, n))
			abort(); /* not reversible */
		free(name);
		free(shown);
		free(back);
		break;
	}
	case 1: {
		char stamp[SVLOG_STAMP_MAX];
		size_t n = 0, skip = svlog_stamp((const char *)data + 1, size - 1, stamp, &n);

		if (skip > size - 1 || n >= SVLOG_STAMP_MAX)
			abort();
		break;
	}
	case 2: {
		char *copy = malloc(size), *argv[65];
		int argc = 0;
		const char *dir;

		if (!copy)
			return 0;
		memcpy(copy, data + 1, size - 1);
		copy[size - 1] = 0;
		for (char *p = copy; p < copy + size - 1 && argc < 64; p += strlen(p) + 1)
			argv[argc++] = p;
		argv[argc] = 0;
		dir = svlog_dir_arg(argc, argv);
		if (dir && (dir < copy || dir >= copy + size))
			abort();
		free(copy);
		break;
	}
	default: {
		struct svinfo info;
		struct svfmt_slot s;

		memset(&s, 0, sizeof s);
		if (svinfo_parse((const char *)data + 1, size - 1, &info) == 0) {
			s.name = "x";
			s.info = &info;
			s.st.pid = info.pid;
			s.st.stamp = info.since;
			svfmt_json(&o, &s, 0, info.since.sec);
			svfmt_prom(&o, &s, 1);
		}
		break;
	}
	}
	return 0;
}
