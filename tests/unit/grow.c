/* Unit test for grow.c: doubling, the first capacity, overflow refused. */
#include "grow.h"
#include "tap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int main(void)
{
	int *v = NULL;
	size_t cap = 0;
	char *s = NULL;
	size_t scap = 0;
	size_t i;

	ok(grow(&v, &cap, 1, sizeof *v, 16) == 0 && cap == 16, "first growth takes the first capacity");
	for (i = 0; i < 16; i++)
		v[i] = (int)i;
	ok(grow(&v, &cap, 17, sizeof *v, 16) == 0 && cap == 32, "doubles past the need");
	ok(v[15] == 15, "keeps the contents");
	ok(grow(&v, &cap, 20, sizeof *v, 16) == 0 && cap == 32, "no change when it fits");
	ok(grow(&v, &cap, 1000, sizeof *v, 16) == 0 && cap == 1024, "doubles as often as needed");
	errno = 0;
	ok(grow(&v, &cap, SIZE_MAX / 2 + 2, sizeof *v, 16) == -1 && errno == ENOMEM && cap == 1024,
	   "an element count that would overflow is refused, the array kept");
	ok(grow(&s, &scap, 5, 1, 0) == 0 && scap == 8, "first 0 starts from 1 and doubles");
	free(v);
	free(s);
	return done_testing();
}
