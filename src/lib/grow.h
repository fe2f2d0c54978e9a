/* grow.h: one rule for growing a heap array: double until it fits, never overflow. */
#ifndef RNG_GROW_H
#define RNG_GROW_H
#include <stddef.h>

/*
 * Makes *v hold at least `need` elements of `size` bytes. The capacity in *cap
 * doubles from `first` (or from *cap when it is not 0) until it reaches need.
 * Returns 0; or -1 with errno ENOMEM when the memory or the size_t arithmetic
 * runs out, in which case *v and *cap are left as they were (still valid).
 */
int grow(void *v, size_t *cap, size_t need, size_t size, size_t first);

#endif
