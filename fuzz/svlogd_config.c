/* fuzz/svlogd_config.c: libFuzzer harness for svlogd's config parser and pattern matcher (logconf.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct logconf c;
	char *text = malloc(size + 1);
	static const char line[] = "tcpsvd: info: pid 1977 from 10.4.1.14";
	int alert;

	if (!text)
		return 0;
	memcpy(text, data, size);
	logconf_init(&c);
	if (logconf_parse(&c, "fuzz", text, size) < 0) {
		logconf_free(&c);
		return 0;
	}
	if (c.tmax > LOGCONF_TMAX_MAX)
		abort();
	(void)logconf_select(&c, line, sizeof line - 1, &alert);
	/* every rule against every other rule's text, as a line */
	for (size_t i = 0; i < c.nrules; i++)
		for (size_t j = 0; j < c.nrules; j++)
			(void)logconf_match(c.rules[i] + 1, c.rules[j], strlen(c.rules[j]));
	logconf_free(&c); /* frees text and rules */
	return 0;
}
