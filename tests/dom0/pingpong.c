/*
 * pingpong - two processes bounce a counter through a pair of pipes.
 *
 *   pingpong [-c same|cross] N      (N round trips, 1..100000000)
 *
 * The parent writes i, the child answers i + 1; each side blocks in read()
 * until the other writes, so every round trip is two wake-ups and two
 * switches between address spaces.  -c same pins both processes to CPU 0
 * (pure context switches); -c cross puts the parent on CPU 0 and the child
 * on CPU 1, so every wake-up is a cross-CPU interrupt (under Xen an event
 * sent to a blocked vCPU).  Without -c the kernel places them.  Prints
 *   pingpong: 1000 round trips in 0.52 s (520.1 us each)
 * ("pingpong cross: ..." with -c) and exits 0 only if every answer was
 * right and the child exited 0.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "timing.h"

/* Whole-value transfer or failure: pipes of this size never split a
 * write, but a signal can interrupt the call. */
static int xfer(int fd, uint64_t *v, int writing)
{
    ssize_t n;

    do
        n = writing ? write(fd, v, sizeof(*v)) : read(fd, v, sizeof(*v));
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof(*v) ? 0 : -1;
}

/* Pin the calling process to one CPU; prints the reason on failure. */
static int pin(int cpu, const char *who)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) == 0)
        return 0;
    fprintf(stderr, "pingpong: cannot pin the %s to CPU %d: %s\n", who, cpu,
            strerror(errno));
    return -1;
}

static int usage(void)
{
    fprintf(stderr, "usage: pingpong [-c same|cross] N   (round trips, 1..100000000)\n");
    return 2;
}

static int child(int in, int out)
{
    uint64_t v;

    /* The parent closing its end (read returns 0) is the stop signal. */
    while (xfer(in, &v, 0) == 0) {
        v++;
        if (xfer(out, &v, 1) < 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long n, i;
    int ping[2], pong[2], status, opt, rc = 0;
    int child_cpu = -1;             /* -1: not pinned */
    const char *mode = NULL;
    uint64_t t0, ns, v;
    pid_t pid;

    while ((opt = getopt(argc, argv, "c:")) != -1) {
        if (opt != 'c')
            return usage();
        mode = optarg;
        if (strcmp(mode, "same") == 0)
            child_cpu = 0;
        else if (strcmp(mode, "cross") == 0)
            child_cpu = 1;
        else
            return usage();
    }
    if (optind != argc - 1 || parse_count(argv[optind], 1, 100000000ul, &n) < 0)
        return usage();
    if (mode && pin(0, "parent") < 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    if (pipe(ping) < 0 || pipe(pong) < 0) {
        fprintf(stderr, "pingpong: pipe: %s\n", strerror(errno));
        return 1;
    }
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "pingpong: fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        if (child_cpu >= 0 && pin(child_cpu, "child") < 0)
            _exit(1);
        close(ping[1]);
        close(pong[0]);
        _exit(child(ping[0], pong[1]));
    }
    close(ping[0]);
    close(pong[1]);

    t0 = mono_ns();
    for (i = 0; i < n; i++) {
        v = i;
        if (xfer(ping[1], &v, 1) < 0 || xfer(pong[0], &v, 0) < 0) {
            fprintf(stderr, "pingpong: round %lu: pipe broke: %s\n", i, strerror(errno));
            rc = 1;
            break;
        }
        if (v != i + 1) {
            fprintf(stderr, "pingpong: round %lu: sent %lu, got back %llu\n",
                    i, i, (unsigned long long)v);
            rc = 1;
            break;
        }
    }
    ns = mono_ns() - t0;
    close(ping[1]);
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
        fprintf(stderr, "pingpong: child did not exit cleanly\n");
        rc = 1;
    }
    if (rc == 0)
        printf("pingpong%s%s: %lu round trips in %.2f s (%.1f us each)\n",
               mode ? " " : "", mode ? mode : "", n, ns_to_s(ns),
               (double)ns / 1e3 / (double)n);
    return rc;
}
