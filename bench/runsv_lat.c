/* runsv_lat.c: bench helper; installed as ./run it records when it started, "drive" times control byte u to that moment. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	char path[4096], buf[64];
	long long t0, t1;
	ssize_t n;
	int fd;

	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (strcmp(base, "run") == 0) {
		/* As ./run: write the start time to ./stamp.new, rename to ./stamp, then idle. */
		t1 = now_ns();
		fd = open("stamp.new", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return 111;
		n = snprintf(buf, sizeof buf, "%lld\n", t1);
		if (write(fd, buf, (size_t)n) != n || close(fd) < 0 || rename("stamp.new", "stamp") < 0)
			return 111;
		for (;;)
			pause();
	}
	if (argc != 3 || strcmp(argv[1], "drive") != 0) {
		fprintf(stderr, "usage: runsv_lat drive SERVICEDIR (or run it as ./run)\n");
		return 100;
	}
	/* Writes u and waits for SERVICEDIR/stamp; prints the latency in microseconds. */
	snprintf(path, sizeof path, "%s/supervise/control", argv[2]);
	fd = open(path, O_WRONLY | O_NONBLOCK);
	if (fd < 0)
		return perror(path), 111;
	snprintf(path, sizeof path, "%s/stamp", argv[2]);
	t0 = now_ns();
	if (write(fd, "u", 1) != 1)
		return perror("write"), 111;
	close(fd);
	for (;;) {
		int sfd = open(path, O_RDONLY);
		if (sfd >= 0) {
			n = read(sfd, buf, sizeof buf - 1);
			close(sfd);
			if (n > 0) {
				buf[n] = 0;
				t1 = atoll(buf);
				printf("%lld\n", (t1 - t0) / 1000);
				return 0;
			}
		} else if (errno != ENOENT)
			return perror(path), 111;
		struct timespec ts = { 0, 50000 };
		nanosleep(&ts, 0);
	}
}
