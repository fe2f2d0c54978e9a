/* grow.c: growing a heap array by doubling, for every program's lists and buffers. */
#include "grow.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int grow(void *v, size_t *cap, size_t need, size_t size, size_t first)
{
	void **slot = v; /* v is the address of the caller's pointer, whatever its type */
	size_t c = *cap ? *cap : (first ? first : 1);
	void *p;

	if (need <= *cap)
		return 0;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			goto nomem;
		c *= 2;
	}
	if (size && c > SIZE_MAX / size)
		goto nomem;
	p = realloc(*slot, c * size);
	if (!p)
		goto nomem;
	*slot = p;
	*cap = c;
	return 0;
nomem:
	errno = ENOMEM;
	return -1;
}
