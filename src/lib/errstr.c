/* errstr.c: runit's own wording for errno values (not strerror). */
#include <errno.h>
#include <stddef.h>

#include "errstr.h"

/* The text in place, not a pointer: a table of pointers is relocated at
 * start-up, which dirties a page of every process (runsv's PSS is measured);
 * this one stays read-only and shared. */
struct errtext {
	int num;
	char text[36];
};

/* EAGAIN precedes EWOULDBLOCK so that it wins where the two are equal. */
static const struct errtext table[] = {
	{ 0, "no error" },
	{ EINTR, "interrupted system call" },
	{ ENOMEM, "out of memory" },
	{ ENOENT, "file does not exist" },
	{ ETXTBSY, "text busy" },
	{ EIO, "input/output error" },
	{ EEXIST, "file already exists" },
	{ ETIMEDOUT, "timed out" },
	{ EINPROGRESS, "operation in progress" },
	{ EAGAIN, "temporary failure" },
	{ EWOULDBLOCK, "input temporarily unavailable" },
	{ EPIPE, "broken pipe" },
	{ EPERM, "permission denied" },
	{ EACCES, "access denied" },
	{ ENXIO, "device not configured" },
	{ EPROTO, "protocol error" },
	{ EISDIR, "is a directory" },
	{ ESRCH, "no such process" },
	{ E2BIG, "argument list too long" },
	{ ENOEXEC, "exec format error" },
	{ EBADF, "file descriptor not open" },
	{ ECHILD, "no child processes" },
	{ EDEADLK, "operation would cause deadlock" },
	{ EFAULT, "bad address" },
	{ ENOTBLK, "not a block device" },
	{ EBUSY, "device busy" },
	{ EXDEV, "cross-device link" },
	{ ENODEV, "device does not support operation" },
	{ ENOTDIR, "not a directory" },
	{ EINVAL, "invalid argument" },
	{ ENFILE, "system cannot open more files" },
	{ EMFILE, "process cannot open more files" },
	{ ENOTTY, "not a tty" },
	{ EFBIG, "file too big" },
	{ ENOSPC, "out of disk space" },
	{ ESPIPE, "unseekable descriptor" },
	{ EROFS, "read-only file system" },
	{ EMLINK, "too many links" },
	{ EDOM, "input out of range" },
	{ ERANGE, "output out of range" },
	{ EALREADY, "operation already in progress" },
	{ ENOTSOCK, "not a socket" },
	{ EDESTADDRREQ, "destination address required" },
	{ EMSGSIZE, "message too long" },
	{ EPROTOTYPE, "incorrect protocol type" },
	{ ENOPROTOOPT, "protocol not available" },
	{ EPROTONOSUPPORT, "protocol not supported" },
	{ ESOCKTNOSUPPORT, "socket type not supported" },
	{ EOPNOTSUPP, "operation not supported" },
	{ EPFNOSUPPORT, "protocol family not supported" },
	{ EAFNOSUPPORT, "address family not supported" },
	{ EADDRINUSE, "address already used" },
	{ EADDRNOTAVAIL, "address not available" },
	{ ENETDOWN, "network down" },
	{ ENETUNREACH, "network unreachable" },
	{ ENETRESET, "network reset" },
	{ ECONNABORTED, "connection aborted" },
	{ ECONNRESET, "connection reset" },
	{ ENOBUFS, "out of buffer space" },
	{ EISCONN, "already connected" },
	{ ENOTCONN, "not connected" },
	{ ESHUTDOWN, "socket shut down" },
	{ ETOOMANYREFS, "too many references" },
	{ ECONNREFUSED, "connection refused" },
	{ ELOOP, "symbolic link loop" },
	{ ENAMETOOLONG, "file name too long" },
	{ EHOSTDOWN, "host down" },
	{ EHOSTUNREACH, "host unreachable" },
	{ ENOTEMPTY, "directory not empty" },
	{ EUSERS, "too many users" },
	{ EDQUOT, "disk quota exceeded" },
	{ ESTALE, "stale NFS file handle" },
	{ EREMOTE, "too many levels of remote in path" },
	{ ENOLCK, "no locks available" },
	{ ENOSYS, "system call not available" },
	{ ENOMSG, "no message of desired type" },
	{ EIDRM, "identifier removed" },
	{ ENOSTR, "not a stream device" },
	{ ETIME, "timer expired" },
	{ ENOSR, "out of stream resources" },
	{ ENONET, "machine not on network" },
	{ ENOLINK, "link severed" },
	{ ECOMM, "communication error" },
	{ EBADMSG, "bad message type" },
	{ ENOTSUP, "operation not supported" },
	{ EOVERFLOW, "value too large" },
	{ ENOMEDIUM, "no medium found" },
	{ ECANCELED, "operation canceled" },
};

const char *errstr(int num)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].num == num)
			return table[i].text;
	return "unknown error";
}
