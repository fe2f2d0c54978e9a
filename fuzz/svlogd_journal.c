/* fuzz/svlogd_journal.c: libFuzzer harness for the lock record and journal head decoders: any bytes decode to nothing, a record that passes every check, or "damaged", and what passes encodes back to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jrecord r;
	struct jhead h;
	unsigned char back[JRECORD_SIZE];

	if (jrecord_decode(&r, data, size) == JREAD_OK) {
		if (r.len > JOURNAL_BATCH_MAX || r.before > r.after || r.jmark < JOURNAL_AT)
			abort();
		jrecord_encode(back, &r);
		if (memcmp(back, data, JRECORD_SIZE))
			abort();
	}
	if (jhead_decode(&h, data, size) == JREAD_OK) {
		if (h.carry_at < JOURNAL_AT || h.first.nano >= 1000000000u)
			abort();
		jhead_encode(back, &h);
		if (memcmp(back, data, JHEAD_SIZE))
			abort();
	}
	return 0;
}
