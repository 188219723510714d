/*
 * timecmp - run a command and time it on two clocks.
 *
 *   timecmp PROGRAM [ARG...]
 *
 * Reads CLOCK_REALTIME and CLOCK_MONOTONIC before and after running
 * PROGRAM (fork + execvp + waitpid) and prints
 *   timecmp: start 1795308299.123456789 realtime 1.010342 s monotonic 1.010339 s
 * "start" is the wall clock in seconds since the epoch, which a test can
 * hold against the host's clock; the two durations should agree, and for
 * `sleep 1` both should be a little over a second.  busybox `date` cannot
 * print nanoseconds, hence this program.  Exits with PROGRAM's status (128
 * + signal if killed, 127 if it could not be run).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "timing.h"

int main(int argc, char **argv)
{
    uint64_t r0, m0, r1, m1;
    int status;
    pid_t pid;

    if (argc < 2) {
        fprintf(stderr, "usage: timecmp PROGRAM [ARG...]\n");
        return 2;
    }
    r0 = clock_ns(CLOCK_REALTIME);
    m0 = mono_ns();
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "timecmp: fork: %s\n", strerror(errno));
        return 127;
    }
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "timecmp: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "timecmp: waitpid: %s\n", strerror(errno));
            return 127;
        }
    }
    m1 = mono_ns();
    r1 = clock_ns(CLOCK_REALTIME);
    /* A realtime clock stepping backwards prints as a negative duration
     * rather than a huge unsigned one. */
    printf("timecmp: start %llu.%09llu realtime %.6f s monotonic %.6f s\n",
           (unsigned long long)(r0 / 1000000000u),
           (unsigned long long)(r0 % 1000000000u),
           (double)(int64_t)(r1 - r0) / 1e9, ns_to_s(m1 - m0));
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}
