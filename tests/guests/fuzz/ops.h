/*
 * Between the fuzzer's call builders: ops.c (the dispatcher and most
 * hypercalls), ops-mm.c (the page-table hypercalls), ops-vcpu.c (vCPU and
 * scheduling), ops-irq.c (event channels, physdev) and ops-grant.c (grant
 * tables).
 */
#ifndef FUZZ_OPS_H
#define FUZZ_OPS_H

#include "fuzz.h"

/* Argument memory for one top-level call (never wraps; the trash page
 * once full), a pointer that is `valid` or a bad one, random bytes. */
void *op_arena(struct fuzz_cpu *c, size_t size);
void *op_arena_tail(struct fuzz_cpu *c, const void *src, size_t size);
uint64_t op_ptr_or_bad(struct fuzz_cpu *c, void *valid, size_t size);
void op_fill_random(struct fuzz_cpu *c, void *p, size_t size);

/* ops-mm.c */
void build_mmu_update(struct fuzz_cpu *c, uint64_t a[5]);
/* One update that a correct hypervisor must refuse; 0 if none fits. */
int build_hostile_mmu(struct fuzz_cpu *c, uint64_t a[5]);
void build_mmuext(struct fuzz_cpu *c, uint64_t a[5]);
void build_uvm(struct fuzz_cpu *c, uint64_t a[5], int other, int in_multicall);

/* ops-vcpu.c */
void build_vcpu_context(struct fuzz_cpu *c, struct vcpu_guest_context *ctx);
int build_vcpu_op(struct fuzz_cpu *c, uint64_t a[5], int in_multicall);
int timer_virq_ready(struct fuzz_cpu *c);
int build_sched_op(struct fuzz_cpu *c, uint64_t a[5], int in_multicall);

/* ops-irq.c */
void build_evtchn(struct fuzz_cpu *c, uint64_t a[5]);
void build_physdev(struct fuzz_cpu *c, uint64_t a[5]);

/* ops-grant.c */
void build_grant_op(struct fuzz_cpu *c, uint64_t a[5]);

#endif /* FUZZ_OPS_H */
