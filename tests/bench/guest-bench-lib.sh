# guest-bench-lib.sh - what the benchmarks that boot one of our test
# kernels as dom0 share (io-bench, pv-bench, sched-bench): the build, the
# ISO, the boots and their figures.  Sourced after tests/lib/qemu-boot.sh.
#
#   guest_bench NAME KERNEL "XEN_CMDLINE" RUNS SECS SED-ARGS...
#
# Builds the hypervisor and the test kernels (exits 1 if that fails),
# makes $BOOTDIR/NAMEbench.iso with build/guests/KERNEL.elf as dom0, boots it
# RUNS times (512 MiB, 2 CPUs, SECS at most each: boot_run), and prints
# what `sed -n SED-ARGS...` takes out of each run's serial log, every
# line prefixed "NAME run N: ".  Figures only: a boot that ends badly
# prints what it got.

guest_bench() {
    local name=$1 kernel=$2 cmdline=$3 runs=$4 secs=$5 run
    local iso=${1}bench
    shift 5
    make -s -C "$ROOT" xen >/dev/null && make -s -C "$ROOT/tests/guests" >/dev/null ||
        exit 1
    XEN_CMDLINE="$cmdline" DOM0_KERNEL="$ROOT/build/guests/$kernel.elf" \
        sh "$ROOT/scripts/mkiso.sh" "$ROOT/build/boot" "$BOOTDIR/$iso.iso" || exit 1
    for ((run = 1; run <= runs; run++)); do
        boot_run "$iso" "$secs" -m 512M -smp 2
        sed -n "$@" "$BOOTDIR/$iso.log" | sed "s/^/$name run $run: /"
    done
}
