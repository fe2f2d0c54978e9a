/* procscan.h: the live processes of a given name, found through /proc (runit's ordered stop of every runsv). */
#ifndef RNG_PROCSCAN_H
#define RNG_PROCSCAN_H

/* Counts the processes whose name (/proc/PID/stat's comm) is name, not
 * zombies, not this process; sends each sig first when sig is not 0.
 * -1 with errno when /proc cannot be read. */
int procscan_named(const char *name, int sig);
#endif
