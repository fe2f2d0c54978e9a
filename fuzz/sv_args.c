/* sv_args.c: fuzzes sv's option parsing and command-word dispatch with random argv vectors. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define main sv_main
#include "sv.c"
#undef main

#define MAX_WORDS 64

/* The input is argv: words separated by NUL bytes, the first one being argv[0]. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *argv[MAX_WORDS + 1];
	struct sv_args a;
	int argc = 0;
	size_t i, start = 0;

	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = 0;
	for (i = 0; i <= size && argc < MAX_WORDS; i++) {
		if (copy[i] == 0) {
			argv[argc++] = copy + start;
			start = i + 1;
		}
	}
	argv[argc] = 0;
	if (sv_parse(argc, argv, &a) == PARSE_OK) {
		/* what the dispatch promises the rest of sv */
		if (!a.cmd.ctl || !a.cmd.ctl[0] || strlen(a.cmd.ctl) > 3 ||
		    strspn(a.cmd.ctl, "udoxtkpcahiq12Cs") != strlen(a.cmd.ctl))
			abort();
		if (a.nservices < 1 || !a.services || !a.services[0])
			abort();
		if (a.lsb && (a.nservices != 1 || strcmp(a.services[0], a.progname)))
			abort();
		if ((a.cmd.kind == CMD_STATUS) != (a.word[0] == 's' && a.cmd.ctl[0] == 's'))
			abort();
		if (a.cmd.kind == CMD_STATUS && (a.cmd.always_wait || a.cmd.verbose_wait))
			abort();
		if (a.lsb && a.cmd.kind == CMD_STATUS && strcmp(a.word, "status"))
			abort();
		if (a.cmd.kind == CMD_CHECK && strcmp(a.word, "check"))
			abort();
		/* runit-ng's words and options */
		if ((a.cmd.kind == CMD_WATCH && strcmp(a.word, "watch")) ||
		    (a.cmd.kind == CMD_LOG && strcmp(a.word, "log")))
			abort();
		if (a.format_set && a.cmd.kind != CMD_STATUS && a.cmd.kind != CMD_WATCH)
			abort();
		if ((a.follow || a.lines_set) && a.cmd.kind != CMD_LOG)
			abort();
	}
	free(copy);
	return 0;
}
