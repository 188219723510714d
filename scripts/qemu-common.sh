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
QEMU_STATUS_PASS=33
QEMU_STATUS_PANIC=35
QEMU_STATUS_FAIL=37
