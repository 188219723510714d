/*
 * benchwatch: the cheap, identical clock and pollers of guest-bench, run
 * in dom0 on both sides of tests/bench/linux-guest-bench.sh (ours, built
 * against our libxc; Debian's Xen 4.17, built against Debian's
 * libxen-dev with -DBENCHWATCH_XEN417).  docs/benchmarks.md.
 *
 * Why a program: the shell poll loop it replaces (a toolstack `list` or
 * `console` call, awk and cut every 0.1 s) cost dom0 0.3-0.5 s per poll
 * under TCG, competed with the guest for the two CPUs and so measured
 * mostly itself.  Here a poll is one hypercall (the domain's page count)
 * or one stat() of a console log, once per millisecond.
 *
 *   benchwatch now
 *       CLOCK_MONOTONIC in seconds (the time base of every figure).
 *   benchwatch mem DOMID le|ge MIB WAIT [-- CMD ARGS...]
 *       Runs CMD (if given), then polls the domain's page count until it
 *       is at or below (le) or above (ge) MIB, counted the way the
 *       toolstacks' `list` counts (whole MiB, rounded down).  Prints
 *       "cmd_s=S first_s=S reached_s=S": seconds from just before CMD to
 *       CMD's exit, to the first poll that saw the count move from where
 *       it started, and to MIB.  Exit 1 after WAIT seconds.
 *   benchwatch text FILE T0 WAIT TEXT
 *       Polls FILE (a console log the console daemon appends to as the
 *       guest writes: xenconsoled's on Xen, xend's on ours) until it
 *       holds TEXT; prints the seconds since T0 (a `benchwatch now`).
 *       A missing file counts as empty.  Exit 1 after WAIT seconds.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenctrl.h>

#define POLL_NS		1000000L	/* one poll per millisecond */
#define TEXT_MAX	(8u << 20)	/* console logs read whole, up to this */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nap(void)
{
	struct timespec ts = { 0, POLL_NS };

	nanosleep(&ts, NULL);
}

static void
usage(void)
{
	fprintf(stderr, "usage: benchwatch now\n"
	    "       benchwatch mem DOMID le|ge MIB WAIT [-- CMD ARGS...]\n"
	    "       benchwatch text FILE T0 WAIT TEXT\n");
	exit(2);
}

static double
number(const char *s, const char *what)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || v < 0) {
		fprintf(stderr, "benchwatch: %s: not a number: %s\n", what, s);
		exit(2);
	}
	return v;
}

/* ---- the domain's page count: one hypercall ------------------------- */

#ifdef BENCHWATCH_XEN417
/* Debian's libxenctrl (Xen 4.17): one XEN_DOMCTL_getdomaininfo. */
static xc_interface *
hv_open(void)
{
	return xc_interface_open(NULL, NULL, 0);
}

static int
hv_pages(xc_interface *h, uint32_t domid, uint64_t *pages)
{
	xc_domaininfo_t info;

	if (xc_domain_getinfolist(h, domid, 1, &info) != 1 ||
	    info.domain != domid)
		return -1;
	*pages = info.tot_pages;
	return 0;
}
#else
/* Our libxc: one dom0_op getdomaininfo. */
static xc_interface *
hv_open(void)
{
	return xc_interface_open();
}

static int
hv_pages(xc_interface *h, uint32_t domid, uint64_t *pages)
{
	xc_dominfo_t info;

	if (xc_domain_getinfo(h, domid, &info) != 0)
		return -1;
	*pages = info.tot_pages;
	return 0;
}
#endif

static int
cmd_mem(int argc, char **argv)
{
	xc_interface *h;
	uint32_t domid;
	uint64_t pages, start, mib;
	double t0, wait, t_cmd = -1, t_first = -1;
	int le, status;
	pid_t child = -1;

	if (argc < 6 || (strcmp(argv[3], "le") != 0 &&
	    strcmp(argv[3], "ge") != 0))
		usage();
	if (argc > 6 && (strcmp(argv[6], "--") != 0 || argc == 7))
		usage();
	domid = (uint32_t)number(argv[2], "DOMID");
	le = strcmp(argv[3], "le") == 0;
	mib = (uint64_t)number(argv[4], "MIB");
	wait = number(argv[5], "WAIT");
	if ((h = hv_open()) == NULL) {
		fprintf(stderr, "benchwatch: cannot open the hypervisor "
		    "interface\n");
		return 1;
	}
	if (hv_pages(h, domid, &start) != 0) {
		fprintf(stderr, "benchwatch: no domain %u\n", domid);
		return 1;
	}
	t0 = now();
	if (argc > 7) {
		if ((child = fork()) < 0) {
			perror("benchwatch: fork");
			return 1;
		}
		if (child == 0) {
			/* Our stdout is the result line alone: CMD's
			 * chatter goes to stderr. */
			dup2(STDERR_FILENO, STDOUT_FILENO);
			execvp(argv[7], argv + 7);
			fprintf(stderr, "benchwatch: %s: %s\n", argv[7],
			    strerror(errno));
			_exit(127);
		}
	} else
		t_cmd = 0;
	for (;;) {
		if (child > 0 && waitpid(child, &status, WNOHANG) == child) {
			t_cmd = now() - t0;
			child = -1;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				fprintf(stderr, "benchwatch: %s failed\n",
				    argv[7]);
				return 1;
			}
		}
		if (hv_pages(h, domid, &pages) != 0) {
			fprintf(stderr, "benchwatch: domain %u gone\n", domid);
			return 1;
		}
		if (t_first < 0 && pages != start)
			t_first = now() - t0;
		/* Whole MiB, rounded down, as `xl list` and `xenctl list`. */
		if (le ? pages / 256 <= mib : pages / 256 >= mib) {
			double t = now() - t0;

			if (child > 0) {	/* reached before CMD returned */
				waitpid(child, &status, 0);
				t_cmd = now() - t0;
			}
			printf("cmd_s=%.3f first_s=%.3f reached_s=%.3f\n",
			    t_cmd, t_first < 0 ? t : t_first, t);
			return 0;
		}
		if (now() - t0 > wait) {
			fprintf(stderr, "benchwatch: domain %u still at %llu "
			    "MiB after %.0f s\n", domid,
			    (unsigned long long)(pages / 256), wait);
			if (child > 0)
				waitpid(child, &status, 0);
			return 1;
		}
		nap();
	}
}

/* ---- a console log: one stat() per poll ----------------------------- */

/* Does FILE hold text?  Read whole (console logs of a booting guest are
 * kilobytes), only when its size or inode changed since the last look. */
static int
file_has(const char *path, const char *text, struct stat *last)
{
	static char *buf;
	struct stat st;
	ssize_t n;
	size_t have = 0;
	int fd;

	if (stat(path, &st) != 0)
		return 0;
	if (st.st_ino == last->st_ino && st.st_size == last->st_size)
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (buf == NULL && (buf = malloc(TEXT_MAX)) == NULL) {
		close(fd);
		return 0;
	}
	while (have < TEXT_MAX &&
	    (n = read(fd, buf + have, TEXT_MAX - have)) > 0)
		have += (size_t)n;
	close(fd);
	/* What was read: a later append changes the size again. */
	last->st_ino = st.st_ino;
	last->st_size = (off_t)have;
	return memmem(buf, have, text, strlen(text)) != NULL;
}

static int
cmd_text(int argc, char **argv)
{
	struct stat last = { 0 };
	double t0, wait;

	if (argc != 6 || argv[5][0] == '\0')
		usage();
	t0 = number(argv[3], "T0");
	wait = number(argv[4], "WAIT");
	last.st_size = -1;
	for (;;) {
		if (file_has(argv[2], argv[5], &last)) {
			printf("%.3f\n", now() - t0);
			return 0;
		}
		if (now() - t0 > wait)
			return 1;
		nap();
	}
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "now") == 0) {
		printf("%.3f\n", now());
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "mem") == 0)
		return cmd_mem(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "text") == 0)
		return cmd_text(argc, argv);
	usage();
	return 2;
}
