/* The fork-per-case runner (see runner.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"
#include "rng.h"
#include "check_internal.h"

static const char *current_name;
static void (*suite_on_fail)(void);

unsigned long long name_hash(const char *s)
{
    unsigned long long h = 1469598103934665603ULL;

    while ( *s )
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

static unsigned long long suite_seed;

/* A forked case's failure names its seed, to replay it with UNIT_SEED. */
static void on_fail(void)
{
    fprintf(stderr, "--- %s failed (UNIT_SEED=%#llx)\n", current_name,
            suite_seed);
    if ( suite_on_fail )
        suite_on_fail();
}

/* Everything the child wrote before it ended (its failure, or why it
 * skipped); empty if it wrote nothing. */
static void read_all(int fd, char *buf, size_t size)
{
    size_t got = 0;
    ssize_t n;

    while ( got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0 )
        got += n;
    buf[got] = '\0';
}

/*
 * A case's limit is its own CPU time (SIGXCPU past timeout_s CPU seconds),
 * so a loaded host that gives it less CPU only makes it slower, never
 * fails it.  A case that hangs without spinning (blocked forever) is ended
 * by a wall-clock backstop: every WALL_FACTOR times its limit, the case is
 * killed by SIGALRM unless it used at least 1/WALL_PROGRESS_DIV of its CPU
 * limit since the last look.  One that did is running, only starved by a
 * busy host (a spinning case at load 30 on 2 cores was killed here before
 * it had used its one CPU second), and its CPU limit will end it: after at
 * most WALL_PROGRESS_DIV such windows, or it is over its limit.  So the
 * backstop is re-armed at most WALL_PROGRESS_DIV times; a case still
 * alive then (its CPU limit did not work) is killed by SIGALRM, which
 * suite 09 reports as a wrong kill reason for its spinning case.
 */
#define WALL_FACTOR       10
#define WALL_PROGRESS_DIV 20

static unsigned int backstop_s, backstop_rearms;
static long long backstop_cpu_ns, backstop_progress_ns;

/* CPU time of the whole process (every thread); async-signal-safe. */
static long long process_cpu_ns(void)
{
    struct timespec ts;

    if ( clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0 )
        return 0;
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void backstop(int sig)
{
    long long now = process_cpu_ns();

    if ( now - backstop_cpu_ns >= backstop_progress_ns &&
         backstop_rearms < WALL_PROGRESS_DIV )
    {
        backstop_rearms++;
        backstop_cpu_ns = now;
        alarm(backstop_s);
        return;
    }
    /* Blocked: die of SIGALRM itself, so the parent says "(blocked)". */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void limit_case(unsigned int cpu_s)
{
    struct rlimit cpu = { .rlim_cur = cpu_s, .rlim_max = cpu_s + 5 };
    struct sigaction sa = { .sa_handler = backstop, .sa_flags = SA_RESTART };

    if ( setrlimit(RLIMIT_CPU, &cpu) != 0 )
        perror("setrlimit(RLIMIT_CPU)");
    backstop_s = cpu_s * WALL_FACTOR;
    backstop_progress_ns = cpu_s * 1000000000LL / WALL_PROGRESS_DIV;
    backstop_cpu_ns = process_cpu_ns();
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    alarm(backstop_s);
}

/* 0 passed, 1 failed, 2 skipped. */
static int run_case(const struct test_suite *s, const char *name,
                    const struct test_case *tc)
{
    char why[1024];
    int fds[2], status;
    pid_t pid;

    if ( pipe(fds) != 0 )
    {
        perror("pipe");
        exit(2);
    }
    fflush(NULL);
    if ( (pid = fork()) < 0 )
    {
        perror("fork");
        exit(2);
    }
    if ( pid == 0 )
    {
        close(fds[0]);
        case_result_fd = fds[1];
        current_name = name;
        suite_on_fail = s->on_fail;
        case_on_fail = on_fail;
        rng_seed(suite_seed ^ name_hash(tc->name));
        limit_case(s->timeout_s ? s->timeout_s : 30);
        if ( s->setup )
            s->setup(tc->name);
        tc->run();
        exit(0);
    }
    close(fds[1]);
    read_all(fds[0], why, sizeof(why));
    close(fds[0]);
    if ( waitpid(pid, &status, 0) < 0 )
    {
        perror("waitpid");
        exit(2);
    }
    if ( WIFEXITED(status) && WEXITSTATUS(status) == 0 && why[0] == '\0' )
    {
        printf("PASS: %s\n", name);
        return 0;
    }
    if ( WIFEXITED(status) && WEXITSTATUS(status) == CASE_SKIP_STATUS )
    {
        printf("SKIP: %s: %s\n", name, why);
        return 2;
    }
    if ( why[0] == '\0' && WIFSIGNALED(status) )
        snprintf(why, sizeof(why), "killed by signal %d%s", WTERMSIG(status),
                 WTERMSIG(status) == SIGXCPU ? " (CPU time) (timeout)" :
                 WTERMSIG(status) == SIGALRM ? " (blocked) (timeout)" : "");
    else if ( why[0] == '\0' )
        snprintf(why, sizeof(why), "exit status %d (sanitizer report on "
                 "stderr?)", WEXITSTATUS(status));
    printf("FAIL: %s: %s\n", name, why);
    return 1;
}

static int wanted(const char *name, int argc, char **argv)
{
    if ( argc <= 1 )
        return 1;
    for ( int i = 1; i < argc; i++ )
        if ( strstr(name, argv[i]) != NULL )
            return 1;
    return 0;
}

int run_suite(const struct test_suite *s, int argc, char **argv)
{
    unsigned int failed = 0, ran = 0;
    const char *seed = getenv("UNIT_SEED");
    char name[512];

    suite_seed = seed ? strtoull(seed, NULL, 0) : 0x5eed0f11a110c8ULL;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for ( const struct test_group *g = s->groups; g->cases; g++ )
        for ( const struct test_case *tc = g->cases; tc->name; tc++ )
        {
            if ( !wanted(tc->name, argc, argv) )
                continue;
            snprintf(name, sizeof(name), "%s%s/%s%s%s", case_prefix, s->name,
                     g->name ? g->name : "", g->name ? "/" : "", tc->name);
            ran++;
            failed += run_case(s, name, tc) == 1;
        }
    if ( ran == 0 )
    {
        printf("FAIL: %s%s: no test case matched\n", case_prefix, s->name);
        return 1;
    }
    return failed ? 1 : 0;
}
