/* runsv_control.c: fuzzes runsv's per-slot state machine with control bytes, child exits and starts. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define RUNSV_NO_SYSTEM
#include "runsv.c"

static const uint8_t *in;
static size_t in_left;
static pid_t next_pid = 100;
static int signalled;

static unsigned take(void)
{
	if (!in_left)
		return 0;
	in_left--;
	return *in++;
}

static void check(const struct slot *s)
{
	unsigned char rec[STATUS_SIZE];
	struct sv_status st, back;
	char line[STAT_LINE_MAX];
	size_t len;

	assert(s->state == SV_DOWN || s->state == SV_RUN || s->state == SV_FINISH);
	assert(s->state != SV_RUN || s->pid != 0);
	assert(!s->term || s->pid != 0);
	assert(!s->is_log || s->state != SV_FINISH);
	slot_record(s, &st);
	status_pack(rec, &st);
	status_unpack(rec, &back);
	assert(st.stamp.sec == back.stamp.sec && st.stamp.nano == back.stamp.nano);
	assert(back.pid == (uint32_t)s->pid && back.paused == s->paused &&
	    back.term == s->term && back.state == s->state);
	assert((back.want == 'u') == (s->want == WANT_UP));
	assert(rec[19] <= 2 && rec[16] <= 1 && rec[18] <= 1);
	len = status_stat_line(line, s->state, s->paused, s->term, s->want);
	assert(len < STAT_LINE_MAX && line[len - 1] == '\n');
}

static void fake_update(struct slot *s) { check(s); }

static void fake_signal(struct slot *s, int sig)
{
	assert(s->pid != 0);
	assert(sig > 0 && sig < 65);
	signalled++;
}

static int fake_custom(struct slot *s, int c)
{
	assert(control_known(c));
	return !s->is_log && (take() & 1);
}

static int fake_finish(void) { return take() & 1; }

static const struct effects fake = { fake_update, fake_signal, fake_custom, fake_finish };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char bytes[] = "udoxtkpcahiq12\n\0";
	struct slot slots[2];
	struct tain now = { TAI_OFFSET + 1700000000, 500 };
	long long ms = 0;
	int i;

	in = data;
	in_left = size;
	memset(slots, 0, sizeof slots);
	for (i = 0; i < 2; i++) {
		slots[i].dir = i ? "log/supervise" : "supervise";
		slots[i].is_log = i;
		slots[i].want = take() & 1 ? WANT_DOWN : WANT_UP;
		slots[i].run_ms = -HOLD_AFTER_QUICK_EXIT_MS;
		slots[i].stamp = now;
	}
	while (in_left) {
		unsigned op = take();
		struct slot *s = &slots[op & 1];

		switch ((op >> 1) % 4) {
		case 0: /* a control byte */
			slot_command(s, bytes[take() % (sizeof bytes - 1)], &fake);
			break;
		case 1: /* the child exits */
			if (s->pid)
				slot_child_exit(s, (int)take() << (take() & 1 ? 8 : 0), &now, ms, &fake);
			break;
		case 2: /* the loop's start step */
			if (slot_should_start(s, ms)) {
				assert(s->pid == 0);
				slot_started(s, next_pid++, &now, ms, &fake);
				assert(s->state == SV_RUN || s->state == SV_FINISH);
			}
			break;
		case 3: /* time passes */
			ms += take() * 10;
			now.sec += take() % 3;
			break;
		}
		check(&slots[0]);
		check(&slots[1]);
		/* Held slots never start before their deadline. */
		if (slots[0].hold_ms > ms)
			assert(!slot_should_start(&slots[0], ms));
	}
	return 0;
}
