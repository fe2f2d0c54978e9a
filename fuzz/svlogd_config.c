/* fuzz/svlogd_config.c: libFuzzer harness for svlogd's config parser and pattern matcher. */
#define main svlogd_main
#include "svlogd.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct logdir d;
	char *text = malloc(size + 1);
	static const char line[] = "tcpsvd: info: pid 1977 from 10.4.1.14";
	int alert;

	if (!text)
		return 0;
	memcpy(text, data, size);
	memset(&d, 0, sizeof d);
	d.udpfd = -1;
	d.name = "fuzz";
	config_defaults(&d);
	d.conftext = text;
	svlogd_config(&d, text, size);
	(void)selected(&d, line, sizeof line - 1, &alert);
	/* every rule against every other rule's text, as a line */
	for (size_t i = 0; i < d.nrules; i++)
		for (size_t j = 0; j < d.nrules; j++)
			(void)svlogd_match(d.rules[i] + 1, d.rules[j], strlen(d.rules[j]));
	config_defaults(&d); /* frees text and rules, closes any UDP socket */
	return 0;
}
