/* errstr.h: runit's errno wording. */
#ifndef RNG_ERRSTR_H
#define RNG_ERRSTR_H
const char *errstr(int num);
#endif
