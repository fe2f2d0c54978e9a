/* io.h: descriptor I/O that survives EINTR and short transfers. */
#ifndef RNG_IO_H
#define RNG_IO_H
#include <stddef.h>
#include <sys/types.h>

/* Writes all n bytes; returns 0, or -1 with errno set (EAGAIN included). */
int write_all(int fd, const void *buf, size_t n);
/* read(2) restarted on EINTR. */
ssize_t read_intr(int fd, void *buf, size_t n);
/* Reads until n bytes or EOF; returns the count or -1. */
ssize_t read_full(int fd, void *buf, size_t n);
/* The start of a small file (dirfd and path as for openat) as a string:
 * at most size-1 bytes and a NUL. Returns the length, or -1 with errno. */
ssize_t read_string_at(int dirfd, const char *path, char *buf, size_t size);
int fd_cloexec(int fd);
int fd_nonblock(int fd);
int fd_block(int fd);
/* dup2(from, to) then close(from) unless equal; the result is inheritable. */
int fd_move(int to, int from);
/* close(2) that treats EINTR as done (Linux always releases the fd). */
int close_fd(int fd);
#endif
