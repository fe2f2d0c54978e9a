/* fuzz/needs.c: libFuzzer harness for the needs file and supervise/info's waiting= and oneshot= keys (parse, format, split). */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "needs.h"
#include "needwait.h"
#include "svinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct needwait w;
	static struct svinfo in, out;
	static char buf[SVINFO_MAX + 1];
	struct svinfo_wait_entry e;
	const char *why = 0, *p;
	size_t n;

	/* the needs file: every name kept is NUL-free; valid ones are names */
	if (needs_parse(&w.list, (const char *)data, size, &why) == 0) {
		assert(w.list.n <= NEEDS_MAX);
		for (size_t i = 0; i < w.list.n; i++) {
			const struct need *x = &w.list.v[i];
			assert(x->name[0] && x->name[0] != '#');
			assert((x->state == NEED_INVALID) == !needs_name_ok(x->name));
			w.list.v[i].state = (enum need_state)(i % 11);
		}
		/* what runsv writes to info fits, and splits back into entries */
		w.self = "self";
		w.cycle = size & 1;
		memcpy(w.cycle_path, "a -> b -> a", 12);
		needwait_text(&w, in.waiting_list, sizeof in.waiting_list);
		in.waiting = 1;
		in.waiting_count = w.list.n;
		in.oneshot = (enum svinfo_oneshot)(size % 3);
		n = svinfo_format(buf, &in);
		assert(n <= SVINFO_MAX);
		assert(svinfo_parse(buf, n, &out) == 0);
		assert(!strcmp(out.waiting_list, in.waiting_list) && out.oneshot == in.oneshot);
		for (p = out.waiting_list; svinfo_wait_next(&p, &e);)
			assert(e.name_len && !memchr(e.name, '|', e.name_len));
	} else {
		assert(why);
	}
	/* any bytes as an info file: parses or not, never beyond its bounds */
	(void)svinfo_parse((const char *)data, size, &out);
	assert(strlen(out.waiting_list) < sizeof out.waiting_list);
	for (p = out.waiting_list; svinfo_wait_next(&p, &e);)
		assert(e.name + e.name_len <= out.waiting_list + sizeof out.waiting_list);
	return 0;
}
