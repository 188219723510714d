/*
 * ptyrun: run a command on a pseudo-terminal and type into it as a person
 * would, for dom0 tests (busybox has no pty tool, and dom0 has no python).
 *
 *   ptyrun [-t SECONDS] [-o OUT] WAIT TEXT EXPECT -- CMD [ARG...]
 *
 * CMD runs as a session leader with the pty's slave side as its
 * controlling terminal (so `xenctl console` sees a real terminal and puts
 * it in raw mode).  Once WAIT has appeared in its output, TEXT is typed;
 * once EXPECT has appeared after that point, Ctrl-] (0x1d) is typed, and
 * ptyrun waits for CMD to end.  TEXT, WAIT and EXPECT take the escapes \r,
 * \n, \\ and \xHH.  Everything CMD wrote goes to OUT (if given).
 *
 * Exit status: CMD's own when both patterns were seen; 124 if CMD had not
 * ended after SECONDS (default 60; a safety net, not a measurement: CMD
 * is killed); 125 if CMD ended before WAIT or EXPECT appeared; 126 if it
 * could not be run.  A line on stderr says which pattern was missing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUT_MAX		(64u << 20)	/* more than any console history */

static void
usage(void)
{
	fprintf(stderr, "usage: ptyrun [-t SECONDS] [-o OUT] WAIT TEXT EXPECT "
	    "-- CMD [ARG...]\n");
	exit(2);
}

/* Decode \r \n \\ \xHH in place; returns the length. */
static size_t
unescape(char *s)
{
	char *r = s, *w = s, hex[3] = { 0, 0, 0 };

	while (*r != '\0') {
		if (*r != '\\' || r[1] == '\0') {
			*w++ = *r++;
			continue;
		}
		r++;
		switch (*r) {
		case 'r': *w++ = '\r'; r++; break;
		case 'n': *w++ = '\n'; r++; break;
		case '\\': *w++ = '\\'; r++; break;
		case 'x':
			if (r[1] == '\0' || r[2] == '\0')
				usage();
			hex[0] = r[1];
			hex[1] = r[2];
			*w++ = (char)strtoul(hex, NULL, 16);
			r += 3;
			break;
		default:
			fprintf(stderr, "ptyrun: unknown escape \\%c\n", *r);
			exit(2);
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			perror("ptyrun: write to the terminal");
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Start argv on a new pty; returns the master fd, *pid the child. */
static int
spawn(char **argv, pid_t *pid)
{
	int m, s;
	char *name;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(m) != 0 ||
	    unlockpt(m) != 0 || (name = ptsname(m)) == NULL) {
		perror("ptyrun: pseudo-terminal");
		exit(126);
	}
	if ((*pid = fork()) < 0) {
		perror("ptyrun: fork");
		exit(126);
	}
	if (*pid == 0) {
		setsid();
		if ((s = open(name, O_RDWR)) < 0)
			_exit(126);
		ioctl(s, TIOCSCTTY, 0);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		close(m);
		execvp(argv[0], argv);
		fprintf(stderr, "ptyrun: %s: %s\n", argv[0], strerror(errno));
		_exit(126);
	}
	return m;
}

int
main(int argc, char **argv)
{
	const char *outpath = NULL;
	char *wait_s, *text, *expect, *buf, *hit;
	size_t wait_n, text_n, expect_n, len = 0, mark = 0;
	double timeout = 60, t0;
	int ch, m, status, sent = 0, detached = 0, rc;
	struct pollfd pfd;
	pid_t pid;
	ssize_t n;
	FILE *f;

	while ((ch = getopt(argc, argv, "+t:o:")) != -1) {
		switch (ch) {
		case 't': timeout = atof(optarg); break;
		case 'o': outpath = optarg; break;
		default: usage();
		}
	}
	if (argc - optind < 5 || strcmp(argv[optind + 3], "--") != 0)
		usage();
	wait_s = argv[optind];
	text = argv[optind + 1];
	expect = argv[optind + 2];
	wait_n = unescape(wait_s);
	text_n = unescape(text);
	expect_n = unescape(expect);
	if (wait_n == 0 || expect_n == 0)
		usage();
	buf = malloc(OUT_MAX + 1);
	if (buf == NULL)
		return 126;
	signal(SIGPIPE, SIG_IGN);
	m = spawn(argv + optind + 4, &pid);
	pfd.fd = m;
	pfd.events = POLLIN;
	t0 = now();
	for (;;) {
		if (now() - t0 > timeout) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fprintf(stderr, "ptyrun: %s had not ended after %.0f s "
			    "(%s)\n", argv[optind + 4], timeout, !sent ?
			    "never saw WAIT" : !detached ? "never saw EXPECT" :
			    "detach ignored");
			rc = 124;
			goto out;
		}
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			break;
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			/* EIO: every slave fd is closed, CMD is gone. */
			n = read(m, buf + len, OUT_MAX - len);
			if (n <= 0 && !(n < 0 && errno == EINTR))
				break;
			if (n > 0)
				len += (size_t)n;
			buf[len] = '\0';
		}
		if (!sent && (hit = memmem(buf, len, wait_s, wait_n)) != NULL) {
			mark = (size_t)(hit - buf) + wait_n;
			write_all(m, text, text_n);
			sent = 1;
		}
		if (sent && !detached &&
		    memmem(buf + mark, len - mark, expect, expect_n) != NULL) {
			write_all(m, "\x1d", 1);
			detached = 1;
		}
		if (len == OUT_MAX) {
			fprintf(stderr, "ptyrun: more than %u bytes of output\n",
			    OUT_MAX);
			kill(pid, SIGKILL);
		}
	}
	waitpid(pid, &status, 0);
	if (!sent || !detached) {
		fprintf(stderr, "ptyrun: %s ended before %s appeared\n",
		    argv[optind + 4], !sent ? "WAIT" : "EXPECT");
		rc = 125;
	} else
		rc = WIFEXITED(status) ? WEXITSTATUS(status) :
		    128 + WTERMSIG(status);
out:
	if (outpath != NULL) {
		if ((f = fopen(outpath, "w")) == NULL ||
		    fwrite(buf, 1, len, f) != len || fclose(f) != 0)
			perror(outpath);
	}
	close(m);
	free(buf);
	return rc;
}
