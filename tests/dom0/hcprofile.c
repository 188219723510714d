/*
 * hcprofile - what a command costs dom0 in hypervisor work.
 *
 *   hcprofile PROGRAM [ARG...]
 *
 * Reads dom0's accounting counters (libxc xc_domain_get_accounting: per
 * hypercall number, plus page faults, page-table write emulations, mmu
 * updates, events), runs PROGRAM, reads them again and prints the
 * differences, e.g. to see which hypercalls one fork+exec makes.  The
 * counters are dom0-wide, so anything else running at the time is counted
 * too.  Exits with PROGRAM's status (128 + signal if killed, 127 if it
 * could not be run), or 1 if the counters cannot be read.
 *
 * HCPROFILE_DOMID=N counts domain N instead of dom0 (e.g. a domU's
 * hypercalls while dom0 runs a command that makes it work: the balloon
 * bench, tests/bench/dom0/guest-bench).  HCPROFILE_TOTAL=1 prints the
 * counters themselves, everything since the domain was created, not the
 * change over PROGRAM (`HCPROFILE_DOMID=N HCPROFILE_TOTAL=1 hcprofile
 * true`: what a guest's boot cost, the create bench).
 *
 * It also prints how the hypervisor's scheduler counters (the perf
 * counters named *wake*: wakes, why a woken vCPU waited, wakes moved to
 * an idle CPU) changed over PROGRAM; they are machine-wide.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "timing.h"
#include "xenctrl.h"

#define NR_COUNTS 64    /* hypercall numbers 0..63 cover every one in use */

#define NR_PERFC 64

struct snapshot {
    xc_accounting_t acct;
    uint64_t counts[NR_COUNTS];
    xc_perfc_t perfc[NR_PERFC];
    int nr_perfc;               /* -1: not readable */
};

/* Hypercall numbers from Xen's public xen.h (the ones Linux 6.1 makes). */
static const char *hypercall_name(unsigned int nr)
{
    static const char *const names[NR_COUNTS] = {
        [0] = "set_trap_table", [1] = "mmu_update", [2] = "set_gdt",
        [3] = "stack_switch", [4] = "set_callbacks", [5] = "fpu_taskswitch",
        [7] = "platform_op", [8] = "set_debugreg", [9] = "get_debugreg",
        [10] = "update_descriptor", [12] = "memory_op", [13] = "multicall",
        [14] = "update_va_mapping", [15] = "set_timer_op",
        [17] = "xen_version", [18] = "console_io", [20] = "grant_table_op",
        [21] = "vm_assist", [23] = "iret", [24] = "vcpu_op",
        [25] = "set_segment_base", [26] = "mmuext_op", [28] = "nmi_op",
        [29] = "sched_op", [30] = "callback_op", [32] = "event_channel_op",
        [33] = "physdev_op", [34] = "hvm_op", [35] = "sysctl",
        [36] = "domctl", [40] = "xenpmu_op", [41] = "dm_op", [48] = "mca",
    };

    return nr < NR_COUNTS && names[nr] ? names[nr] : "?";
}

static uint32_t domid;     /* whose counters: HCPROFILE_DOMID, default 0 */

static int snap(xc_interface *xc, struct snapshot *s)
{
    s->nr_perfc = xc_perf_counters(xc, s->perfc, NR_PERFC, false);
    if (xc_domain_get_accounting(xc, domid, &s->acct, s->counts,
                                 NR_COUNTS) == 0)
        return 0;
    fprintf(stderr, "hcprofile: %s\n", xc_last_error(xc));
    return -1;
}

static void print_delta(const struct snapshot *a, const struct snapshot *b,
                        uint64_t wall_ns)
{
#define D(field) (unsigned long long)(b->acct.field - a->acct.field)
    printf("hcprofile: %.2f s wall, dom%u cpu %.2f s, %llu hypercalls, "
           "%llu page faults, %llu exceptions bounced\n", ns_to_s(wall_ns),
           (unsigned)domid,
           ns_to_s(b->acct.cpu_time_ns - a->acct.cpu_time_ns), D(hypercalls),
           D(page_faults), D(exceptions_bounced));
    printf("hcprofile: %llu page-table writes emulated, %llu mmu_update "
           "entries, %llu events sent, %llu delivered\n", D(ptwr_emulations),
           D(mmu_updates), D(events_sent), D(events_delivered));
#undef D
    if (a->nr_perfc > 0 && b->nr_perfc == a->nr_perfc) {
        printf("hcprofile: scheduler perf counters (machine-wide):");
        for (int i = 0; i < b->nr_perfc; i++)
            if (strstr(b->perfc[i].name, "wake"))
                printf(" %s +%llu", b->perfc[i].name,
                       (unsigned long long)(b->perfc[i].value -
                                            a->perfc[i].value));
        printf("\n");
    }
    for (unsigned int nr = 0; nr < NR_COUNTS; nr++) {
        uint64_t n = b->counts[nr] - a->counts[nr];
        if (n)
            printf("hcprofile:   %2u %-18s %llu\n", nr, hypercall_name(nr),
                   (unsigned long long)n);
    }
}

int main(int argc, char **argv)
{
    struct snapshot before, after;
    xc_interface *xc;
    uint64_t t0;
    int status;
    pid_t pid;

    const char *env = getenv("HCPROFILE_DOMID");
    char *end;

    if (argc < 2) {
        fprintf(stderr, "usage: [HCPROFILE_DOMID=N] hcprofile PROGRAM [ARG...]\n");
        return 2;
    }
    if (env != NULL && *env != '\0') {
        unsigned long n = strtoul(env, &end, 10);

        if (*end != '\0' || n > 0x7fef) {
            fprintf(stderr, "hcprofile: HCPROFILE_DOMID=%s is not a domain id\n", env);
            return 2;
        }
        domid = (uint32_t)n;
    }
    xc = xc_interface_open();
    if (!xc) {
        fprintf(stderr, "hcprofile: %s\n", xc_open_error());
        return 1;
    }
    if (snap(xc, &before) < 0)
        return 1;
    env = getenv("HCPROFILE_TOTAL");
    if (env != NULL && strcmp(env, "1") == 0)
        memset(&before, 0, sizeof(before));     /* since creation */
    t0 = mono_ns();
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "hcprofile: fork: %s\n", strerror(errno));
        return 127;
    }
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "hcprofile: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "hcprofile: waitpid: %s\n", strerror(errno));
            return 127;
        }
    }
    if (snap(xc, &after) < 0)
        return 1;
    print_delta(&before, &after, mono_ns() - t0);
    xc_interface_close(xc);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}
