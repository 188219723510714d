/* The xen-events test harness: a host "machine" for the hypervisor's event
 * channel, vCPU-operation, sched_op and guest-time code.
 *
 * It provides what those files call in the rest of the hypervisor: a fake
 * scheduler that records what it was asked to do, fake domains and vCPUs,
 * guest memory at a fake guest virtual address, a frame table over a host
 * RAM buffer, a TSC the tests set (NOW() is the real time.c on top of it),
 * an emulated CMOS RTC and cpu_kick.  The real timer.c runs the guest
 * timers; tests fire them with timer_run().  The runner, CHECKs, printk and
 * panic are the shared harness's (tests/unit/harness): every case runs in a
 * forked child, so it starts from fresh static state and a crash fails
 * only that case. */
#ifndef XEN_EVENTS_HARNESS_H
#define XEN_EVENTS_HARNESS_H

#include <stdint.h>
#include <string.h>

#include <xen/types.h>
#include <xen/compiler.h>
#include <xen/sched.h>
#include <xen/event.h>

#include "xen_unit.h"

/* ---- Machine ---- */

#define HOST_FRAMES   256
#define HOST_CPUS     4
/* Guest virtual memory: one buffer at this address (user half). */
#define GUEST_VA      0x0000100000000000UL
#define GUEST_SIZE    (64UL << 10)
extern unsigned char *guest_mem;

/* A guest VA inside guest_mem, and a host pointer to the same bytes. */
static inline uint64_t gva(size_t off) { return GUEST_VA + off; }
static inline void *gptr(size_t off) { return guest_mem + off; }

/* A frame of host RAM owned by d (zeroed). */
mfn_t frame_alloc(struct domain *d);
void *frame_va(mfn_t mfn);
unsigned long frame_refs(mfn_t mfn);

/* ---- Domains ---- */

/* A domain with nr_vcpus vCPUs (vCPU i on CPU i % HOST_CPUS, down, with its
 * shared_info slot as vcpu_info, timers set up), its event channels
 * initialised and all 4096 ports unmasked. */
struct domain *dom_new(domid_t id, unsigned int nr_vcpus, bool privileged);
/* Run as v (current, on v's CPU) from now on in this thread. */
void set_current(struct vcpu *v);
/* Pretend this thread is CPU cpu (current unchanged). */
void set_cpu(unsigned int cpu);
void dom_destroy(struct domain *d);

/* ---- Hypercalls as the guest makes them (arguments in guest memory) ---- */

/* Copies *arg (size bytes) to guest memory at offset 0x100, calls
 * event_channel_op(cmd, that address) and copies the result back. */
long evtchn_op(unsigned int cmd, void *arg, size_t size);
/* The port the harness's one mapped pirq (20) is bound to, 0: none. */
extern unsigned int pirq20_port;
long vcpu_op(unsigned int cmd, unsigned int vcpuid, void *arg, size_t size);
long sched_op(unsigned int cmd, void *arg, size_t size);

/* Shortcuts for the common calls (they FAIL the case on error). */
unsigned int ev_alloc_unbound(domid_t dom, domid_t remote);
unsigned int ev_bind_virq(unsigned int virq, unsigned int vcpu);
unsigned int ev_bind_ipi(unsigned int vcpu);
unsigned int ev_bind_interdomain(domid_t remote, unsigned int rport);

/* copy_to_guest calls since guest_writes_start() (the first 16). */
struct guest_write {
    uint64_t va;
    size_t len;
    uint64_t data[6];                   /* the first 48 bytes written */
};
extern struct guest_write guest_write_log[16];
extern unsigned int guest_write_count;
void guest_writes_start(void);

/* ---- Shared-info views ---- */
bool port_pending(struct domain *d, unsigned int port);
bool port_masked(struct domain *d, unsigned int port);
void port_mask(struct domain *d, unsigned int port, bool masked);
void port_clear_pending(struct domain *d, unsigned int port);
/* Clear the selector and upcall flag of every vCPU of d. */
void clear_upcalls(struct domain *d);

/* ---- Fake scheduler and CPU: what was asked of them ---- */
struct sched_log {
    unsigned long wakes, blocks, yields, downs, raises;
    unsigned long shutdowns;
    unsigned int shutdown_reason;
    struct domain *shutdown_domain;
    unsigned long kicks[HOST_CPUS];
    unsigned long arch_ctx_calls;
    long arch_ctx_rc;                   /* what arch_set_vcpu_context returns */
};
extern struct sched_log sched_log;

/* ---- Time ---- */

/* The TSC the code under test reads (atomic; shared by all threads). */
void set_tsc(uint64_t tsc);
uint64_t get_tsc(void);
/* With the default 1 GHz scale and boot_tsc 0, TSC ticks are ns. */
void set_now(s_time_t ns);
/* Run CPU cpu's due timers at system time 'now'. */
void run_timers(unsigned int cpu, s_time_t now);
void run_all_timers(s_time_t now);

/* ---- Emulated CMOS RTC ---- */
struct fake_cmos {
    uint8_t reg[128];
    unsigned int uip_reads;     /* status A reads that still show UIP */
    bool uip_stuck;
    /* After this many data-register reads (0: never), copy reg_after over
     * reg once: an update that lands between two reads. */
    unsigned int change_after;
    uint8_t reg_after[128];
    unsigned long data_reads;
};
extern struct fake_cmos cmos;

#endif /* XEN_EVENTS_HARNESS_H */
