/* control.h: the supervise/control command bytes, supervise/ok liveness, and locks. */
#ifndef RNG_CONTROL_H
#define RNG_CONTROL_H
#include <stddef.h>

/* Command bytes written to supervise/control. */
enum {
	CTL_UP = 'u', CTL_DOWN = 'd', CTL_ONCE = 'o', CTL_EXIT = 'x',
	CTL_TERM = 't', CTL_KILL = 'k', CTL_PAUSE = 'p', CTL_CONT = 'c',
	CTL_ALRM = 'a', CTL_HUP = 'h', CTL_INT = 'i', CTL_QUIT = 'q',
	CTL_USR1 = '1', CTL_USR2 = '2',
};

/* True for the 14 bytes runsv acts on. */
int control_known(int c);
/* The signal a command byte delivers (t TERM, k KILL, p STOP, c CONT,
 * a h i q 1 2), or 0 for u d o x and unknown bytes. */
int control_signal(int c);

/* Opens a control FIFO O_WRONLY|O_NONBLOCK and writes the bytes in one write.
 * Returns 0; -1 with errno (ENXIO: no runsv reads it); 1 on a short write. */
int control_send(const char *fifo, const char *bytes, size_t n);

/* Is a runsv holding supervise/ok open? 1 yes, 0 no (ENXIO), -1 can't tell (errno). */
int supervise_alive(const char *okfifo);

/* Opens (creating, 0600) a lock file the way runit does; -1 on error. */
int lock_open(const char *path);
/* Exclusive flock; wait=0 fails at once with EAGAIN when held. 0 or -1. */
int lock_take(int fd, int wait);
#endif
