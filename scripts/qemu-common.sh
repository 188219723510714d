# Shared QEMU settings for `make run`, the tests and the benchmarks.
# Sourced, not run.  One CPU model everywhere (see docs/testing.md):
# QEMU's TCG differs from hardware in places (../shared/reference/
# qemu-tcg-notes.md); using one model keeps results comparable.
QEMU=${QEMU:-qemu-system-x86_64}
# qemu64: QEMU's default model (AMD family 15: NX, SSE2, SYSCALL; no
# PCID/SMEP/SMAP/FSGSBASE).  It is what Debian's Xen is compared with in
# `make bench`, and under TCG it runs our PV paths faster than "max"; the
# whole suite also passes with QEMU_CPU=max.
QEMU_CPU=${QEMU_CPU:-qemu64}
# isa-debug-exit: the hypervisor (booted with debug_exit) writes its
# pass/panic status there; QEMU then exits with (code << 1) | 1.
QEMU_DEBUG_EXIT="-device isa-debug-exit,iobase=0xf4,iosize=0x04"
# QEMU 7.2's multi-threaded TCG (a host thread per vCPU, its default for
# -smp 2) can die of SIGSEGV when one vCPU changes the machine's memory
# map (dom0 writing a PCI command register or BAR while it probes a
# device) just as another vCPU writes MMIO through its TLB: QEMU points
# the other vCPU at the new map at once but flushes its TLB later, so the
# write looks up a section of the wrong map (the core kept from CI: the
# hypervisor's IPI, a write of 0xf1 to the local APIC's ICR at 0x300,
# dispatched to a NULL MemoryRegion).  Upstream QEMU later moved that
# update onto the vCPU's own thread.  Boots whose dom0 probes emulated
# PCI devices (suites 61, 62, 87's uplink, `make run`) therefore run all
# vCPUs on one host thread, where the stale TLB is flushed before the
# vCPU runs again.  docs/testing.md, "QEMU's own crashes".
QEMU_ACCEL_PCI=${QEMU_ACCEL_PCI-"-accel tcg,thread=single"}
QEMU_STATUS_PASS=33
QEMU_STATUS_PANIC=35
QEMU_STATUS_FAIL=37
