/* version.h: the version string printed by -V. */
#ifndef RNG_VERSION_H
#define RNG_VERSION_H
#define RNG_VERSION "$Id: runit-ng 0.1.0 $"
#endif
