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
/* read_full for a regular file: a read that returns less than asked is
 * its end, so a small file whole costs one read. */
ssize_t read_file(int fd, void *buf, size_t n);
/* The start of a small file (dirfd and path as for openat) as a string:
 * at most size-1 bytes and a NUL. Returns the length, or -1 with errno. */
ssize_t read_string_at(int dirfd, const char *path, char *buf, size_t size);
int fd_cloexec(int fd);
int fd_nonblock(int fd);
int fd_block(int fd);
/* dup2(from, to) then close(from) unless equal; the result is inheritable. */
int fd_move(int to, int from);
/* Calls each(line, len, ctx) for every line of path (newline not included;
 * a last line without one counts), reading through buf, so that a long file
 * costs no more than size bytes. A line longer than size is skipped whole.
 * Stops at the first nonzero return of each and returns it; 0 at the end;
 * -1 with errno when path cannot be opened or read. */
int lines_read(const char *path, char *buf, size_t size,
    int (*each)(const char *line, size_t len, void *ctx), void *ctx);
/* close(2) that treats EINTR as done (Linux always releases the fd). */
int close_fd(int fd);
#endif
