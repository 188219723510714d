/* The xen-mm test runner: runs each selected case (argv: name substrings)
 * in a forked child under a time limit and prints PASS/FAIL lines. */

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#ifndef SUITE_PREFIX
#define SUITE_PREFIX "xen-mm"
#endif
#define CASE_TIMEOUT_S 20

uint64_t rng_seed;
static bool verbose;
static int result_fd = -1;              /* child: where a failure is told */
static const char *current_case;

/* ---- failing and running cases ----------------------------------------- */

void case_fail(const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    int n;
    va_list ap;

    n = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    va_end(ap);
    fprintf(stderr, "--- %s failed (seed %#llx): %s\n", current_case,
            (unsigned long long)rng_seed, msg);
    fprintf(stderr, "--- last printk output:\n");
    host_env_dump_printk(stderr);
    if ( result_fd >= 0 && write(result_fd, msg, strlen(msg)) < 0 )
        perror("write");
    _exit(1);
}

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    while ( *s )
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

/* Run one case in a child; returns true if it passed. */
static bool run_case(const struct test_case *tc)
{
    char why[1024];
    ssize_t got = 0, n;
    int fds[2], status;
    pid_t pid;

    if ( pipe(fds) != 0 )
    {
        perror("pipe");
        exit(2);
    }
    fflush(NULL);
    pid = fork();
    if ( pid < 0 )
    {
        perror("fork");
        exit(2);
    }
    if ( pid == 0 )
    {
        close(fds[0]);
        result_fd = fds[1];
        current_case = tc->name;
        host_env_reset(rng_seed ^ name_hash(tc->name), verbose);
        alarm(CASE_TIMEOUT_S);
        tc->run();
        exit(0);
    }

    close(fds[1]);
    while ( got < (ssize_t)sizeof(why) - 1 &&
            (n = read(fds[0], why + got, sizeof(why) - 1 - got)) > 0 )
        got += n;
    why[got] = '\0';
    close(fds[0]);
    if ( waitpid(pid, &status, 0) < 0 )
    {
        perror("waitpid");
        exit(2);
    }

    if ( WIFEXITED(status) && WEXITSTATUS(status) == 0 && got == 0 )
    {
        printf("PASS: %s/%s\n", SUITE_PREFIX, tc->name);
        return true;
    }
    if ( got == 0 )
    {
        if ( WIFSIGNALED(status) )
            snprintf(why, sizeof(why), "killed by signal %d%s",
                     WTERMSIG(status),
                     WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
        else
            snprintf(why, sizeof(why), "exit status %d (sanitizer report "
                     "on stderr?)", WEXITSTATUS(status));
    }
    printf("FAIL: %s/%s: %s\n", SUITE_PREFIX, tc->name, why);
    return false;
}

static bool wanted(const char *name, int argc, char **argv)
{
    if ( argc <= 1 )
        return true;
    for ( int i = 1; i < argc; i++ )
        if ( strstr(name, argv[i]) != NULL )
            return true;
    return false;
}

int main(int argc, char **argv)
{
    static const struct test_case *const tables[] = {
        page_alloc_cases, xmalloc_cases, timer_cases,
    };
    const char *seed = getenv("XEN_MM_SEED");
    unsigned int failed = 0, ran = 0;

    verbose = getenv("XEN_MM_VERBOSE") != NULL;
    rng_seed = seed ? strtoull(seed, NULL, 0) : 0x5eed0f11a110c8ULL;
    setvbuf(stdout, NULL, _IOLBF, 0);

    for ( size_t t = 0; t < ARRAY_SIZE(tables); t++ )
        for ( const struct test_case *tc = tables[t]; tc->name; tc++ )
        {
            if ( !wanted(tc->name, argc, argv) )
                continue;
            ran++;
            if ( !run_case(tc) )
                failed++;
        }
    if ( ran == 0 )
    {
        printf("FAIL: %s: no test case matched\n", SUITE_PREFIX);
        return 1;
    }
    return failed ? 1 : 0;
}
