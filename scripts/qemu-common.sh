# Shared QEMU settings for `make run`, the tests and the benchmarks.
# Sourced, not run.  One CPU model everywhere (see docs/testing.md):
# QEMU's TCG differs from hardware in places (../shared/reference/
# qemu-tcg-notes.md); using one model keeps results comparable.
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_CPU=${QEMU_CPU:-max}
# isa-debug-exit: the hypervisor (booted with debug_exit) writes its
# pass/panic status there; QEMU then exits with (code << 1) | 1.
QEMU_DEBUG_EXIT="-device isa-debug-exit,iobase=0xf4,iosize=0x04"
QEMU_STATUS_PASS=33
QEMU_STATUS_PANIC=35
QEMU_STATUS_FAIL=37
