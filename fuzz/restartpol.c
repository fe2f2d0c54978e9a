/* fuzz/restartpol.c: libFuzzer harness for the restart policy: its three files' values, then a run of ends decided one after another. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "restartpol.h"
#include "svfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char value[SVFILE_VALUE_MAX + 1];
	struct restart_policy p;
	struct restart_history h;
	const char *why = 0;
	unsigned long d;
	long long t = 0;
	size_t cut = size < 24 ? size : 24;

	memset(&p, 0, sizeof p);
	memset(&h, 0, sizeof h);
	if (svfile_parse((const char *)data, cut, value, &why) == SVFILE_OK) {
		(void)restartpol_parse_mode(value, &p.mode, &why);
		if (restartpol_parse_delay(value, &p.delay_min, &p.delay_max, &why) == SVFILE_OK)
			assert(p.delay_min >= 1 && p.delay_min <= p.delay_max && p.delay_max <= SVFILE_MS_MAX);
		else
			p.delay_min = p.delay_max = 0;
		if (restartpol_parse_limit(value, &p.limit_n, &p.limit_ms, &why) == SVFILE_OK)
			assert(p.limit_n >= 1 && p.limit_n <= RESTART_LIMIT_MAX && p.limit_ms >= 1000);
		else
			p.limit_n = 0, p.limit_ms = 0;
	}
	/* Each further pair of bytes is an end: how long it ran, how it ended. */
	p.files = size & 1;
	p.mode = (enum restart_mode)(size % 3);
	for (size_t i = cut; i + 1 < size; i += 2) {
		struct restart_end e;
		enum restart_verdict v;

		e.started = t;
		t += (long long)data[i] * 37;
		e.ended = t;
		e.now = t;
		e.wstat = (data[i + 1] & 3) == 0 ? 0 : (data[i + 1] & 3) == 1 ? 1 << 8 : data[i + 1] >> 2;
		e.finish_code = data[i + 1] & 4 ? 125 : -1;
		e.asked = (data[i + 1] & 0xc0) == 0xc0;
		e.hung = (data[i + 1] & 0xc0) == 0x40;
		if (data[i + 1] == 0xff)
			restartpol_clear(&h);
		v = restartpol_decide(&p, &h, &e, &d);
		assert(v >= RESTART_NOW && v <= RESTART_GIVE_UP);
		if (v == RESTART_AFTER)
			assert(p.delay_min ? d >= p.delay_min && d <= p.delay_max : d == RESTART_RUNIT_HOLD_MS);
		if (v == RESTART_GIVE_UP)
			assert(h.gave_up >= 1 && h.gave_up <= RESTART_LIMIT_MAX);
		assert(h.count <= RESTART_LIMIT_MAX && h.next < RESTART_LIMIT_MAX);
	}
	return 0;
}
