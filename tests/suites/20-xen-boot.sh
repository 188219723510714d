#!/bin/bash
# Boot the hypervisor alone in QEMU and check what it reports: banner,
# memory against -m, CPUs against -smp, timers against the TSC and PIT,
# boot options, and that faults and panics dump state and exit with the
# panic status.  Every boot ends itself through isa-debug-exit.
. "$(dirname "$0")/../lib/guest-boot.sh"     # sources qemu-boot.sh
make -s -C "$ROOT" xen >/dev/null || { fail xen-build "make xen failed"; exit 1; }
# Each boot ends itself (isa-debug-exit) in seconds; this only ends a hung
# one, so it is generous: a loaded host slows a boot, it must not fail it.
BOOT_SECS=${XEN_BOOT_TIMEOUT:-300}

# ram_mib LOG: the "RAM: N MiB" figure the hypervisor printed.
ram_mib() { sed -n 's/.*RAM: \([0-9]*\) MiB usable.*/\1/p' "$BOOTDIR/$1.log"; }
free_pages() { sed -n 's/.*Heap: \([0-9]*\) free pages.*/\1/p' "$BOOTDIR/$1.log"; }
ram_pages() { sed -n 's/.*MiB usable in the memory map (\([0-9]*\) pages).*/\1/p' "$BOOTDIR/$1.log"; }

check_memory() {    # NAME MIB
    local name=$1 mib=$2 got free total
    got=$(ram_mib "$name"); free=$(free_pages "$name"); total=$(ram_pages "$name")
    # QEMU's E820 keeps a few hundred KiB (BIOS, ACPI) out of RAM.
    if [ -n "$got" ] && [ "$got" -le "$mib" ] && [ "$got" -ge $((mib - 4)) ]; then
        pass "$name: RAM $got MiB matches -m ${mib}M"
    else
        fail "$name: RAM" "hypervisor reports '${got}' MiB for -m ${mib}M"
    fi
    # Free pages: all RAM but the image, the frame table and boot tables.
    if [ -n "$free" ] && [ "$free" -lt "$total" ] && [ "$free" -gt $((total * 95 / 100)) ]; then
        pass "$name: $free of $total pages free after boot"
    else
        fail "$name: free pages" "free='$free' total='$total'"
    fi
}

# 1. 2 GiB, 2 CPUs: the configuration `make run` uses.
boot_image basic "console=com1 debug_exit boot_test=pass"
boot_run basic "$BOOT_SECS" -m 2G -smp 2
expect_rc basic "basic: exits with the pass status" "$QEMU_STATUS_PASS"
expect_log basic "basic: banner" '\(XEN\) \[ *[0-9]+\.[0-9]{6}\] minixen [0-9]+\.[0-9]+.* \(x86_64\) booting'
expect_log basic "basic: boot loader named" 'Loader: GRUB'
check_memory basic 2048
expect_log basic "basic: 2 CPUs online" 'SMP: 2 of 2 CPU\(s\) online'
expect_log basic "basic: TSC calibrated" 'Time: TSC [0-9]+\.[0-9]+ MHz'
expect_log basic "basic: APIC timer calibrated" 'APIC timer: [0-9]+\.[0-9]+ MHz'
expect_log basic "basic: ACPI poweroff found" 'S5 poweroff available'
expect_log basic "basic: qemu64 has no SMEP/SMAP, and says so" 'CPU protections: SMEP off \(CPU lacks it\), SMAP off \(CPU lacks it\)'
expect_no_log basic "basic: no warnings" 'unexpected interrupt|APIC error|did not come online|unknown boot option'
dump_log_on_failure basic

# 2. 512 MiB, 4 CPUs.
boot_image smp4 "console=com1 debug_exit boot_test=pass"
boot_run smp4 "$BOOT_SECS" -m 512M -smp 4
expect_rc smp4 "smp4: exits with the pass status" "$QEMU_STATUS_PASS"
check_memory smp4 512
expect_log smp4 "smp4: 4 CPUs online" 'SMP: 4 of 4 CPU\(s\) online'
dump_log_on_failure smp4

# 3. Timers fire on every CPU: once each, never early, in deadline order, a
# stopped one never, a passed deadline run by timer_run_overdue() without
# its interrupt; how late each was is printed, not judged (a slow host
# makes them late).  System time agrees with the PIT.
boot_image timer "console=com1 debug_exit boot_test=timer"
boot_run timer "$BOOT_SECS" -m 256M -smp 2
expect_rc timer "timer: exits with the pass status" "$QEMU_STATUS_PASS"
expect_log timer "timer: 8 timers on 2 CPUs, 0 problems" 'timer test: 8 timers on 2 CPUs, 0 problems'
expect_log timer "timer: CPU 1 ran its own timers" 'timer test: cpu1 timer 3 fired'
expect_log timer "timer: a passed deadline runs from timer_run_overdue() without its interrupt" \
    'timer test: overdue: run by timer_run_overdue\(\) with interrupts off'
expect_log timer "timer: an idle CPU is kicked out of HLT by the IPI, and no APIC timer is written when no deadline changed" \
    'timer test: kicks: ([1-9]|10) of 10 woke cpu1 by its IPI, APIC timer writes 0'
dump_log_on_failure timer

# 4. Faults in the hypervisor: register dump, symbol, backtrace, panic exit.
for f in ud pf de; do
    boot_image fault-$f "console=com1 debug_exit boot_test=fault-$f"
    boot_run fault-$f "$BOOT_SECS" -m 256M -smp 2
    expect_rc fault-$f "fault-$f: exits with the panic status" "$QEMU_STATUS_PANIC"
    expect_log fault-$f "fault-$f: RIP names the faulting function" "RIP: +[0-9a-f]+:\[<[0-9a-f]{16}>\] selftest_fault_$f\+0x"
    expect_log fault-$f "fault-$f: register dump" 'rax: [0-9a-f]{16} +rbx: [0-9a-f]{16}'
    expect_log fault-$f "fault-$f: backtrace through boot_selftests" 'Backtrace:|boot_selftests\+0x'
    expect_log fault-$f "fault-$f: backtrace reaches start_xen" '\] start_xen\+0x'
    expect_log fault-$f "fault-$f: panic message" 'Panic on CPU 0:'
    dump_log_on_failure fault-$f
done
expect_log fault-ud "fault-ud: names the exception" 'fatal trap: invalid opcode'
expect_log fault-pf "fault-pf: reports the address" 'Page fault at linear address ffff8100deadb000 \(not present, read'
expect_log fault-de "fault-de: names the exception" 'fatal trap: divide error'

# 5. panic() stops the other CPUs and exits with the panic status.
boot_image panic "console=com1 debug_exit boot_test=panic"
boot_run panic "$BOOT_SECS" -m 256M -smp 4
expect_rc panic "panic: exits with the panic status" "$QEMU_STATUS_PANIC"
expect_log panic "panic: message" 'boot test requested a panic'

# 6. Boot options: unknown ones and bad values are reported, boot goes on.
boot_image opts "console=com1 debug_exit no_such_option=1 dom0_mem=lots loglvl=debug boot_test=pass"
boot_run opts "$BOOT_SECS" -m 256M -smp 1
expect_rc opts "opts: boot completes despite bad options" "$QEMU_STATUS_PASS"
expect_log opts "opts: unknown option named" "no_such_option"
expect_log opts "opts: bad value named" "dom0_mem.*lots|lots.*dom0_mem"

# 7. loglvl=err hides informational lines.
boot_image quiet "console=com1 debug_exit loglvl=err boot_test=pass"
boot_run quiet "$BOOT_SECS" -m 256M -smp 1
expect_rc quiet "quiet: exits with the pass status" "$QEMU_STATUS_PASS"
expect_no_log quiet "quiet: info lines suppressed" 'SMP: |RAM: '

# 8. Without debug_exit, a pass powers the machine off through ACPI S5.
boot_image acpi-off "console=com1 boot_test=pass"
boot_run acpi-off "$BOOT_SECS" -m 256M -smp 2
expect_rc acpi-off "acpi-off: ACPI S5 poweroff ends QEMU cleanly" 0

# 9. Every hypervisor stack has an unmapped guard page below it: a runaway
#    recursion is a #DF on the #DF stack that names the overflow and panics.
boot_image stack-guard "console=com1 debug_exit boot_test=stack-guard"
boot_run stack-guard "$BOOT_SECS" -m 256M -smp 2
expect_rc stack-guard "stack-guard: exits with the panic status" "$QEMU_STATUS_PANIC"
expect_log stack-guard "stack-guard: guards of both CPUs unmapped" 'stack-guard: 2 CPU\(s\) checked, 0 guard page\(s\) mapped'
expect_log stack-guard "stack-guard: #DF reports the overflow with RSP" 'stack overflow on CPU 0: primary stack, rsp [0-9a-f]{16}'
expect_log stack-guard "stack-guard: double fault named" 'fatal trap: double fault'
expect_log stack-guard "stack-guard: panic message" '^(\(XEN\) \[ *[0-9.]+\] )?stack overflow on CPU 0 \(rsp [0-9a-f]{16}\)'
expect_log stack-guard "stack-guard: panic banner" 'Panic on CPU 0:'
expect_log stack-guard "stack-guard: register dump" 'rax: [0-9a-f]{16} +rbx: [0-9a-f]{16}'
dump_log_on_failure stack-guard

# 10. NMIs at any moment: every 50 us to every CPU while guest kernels run
#     (in guest mode, in the SYSCALL stub, in hypercalls, in the idle
#     loop).  The guests must pass as without, the NMIs must be counted.
GUEST_TIMEOUT=${GUEST_TIMEOUT:-120}
if guest_build; then
    for g in traps hostile_fpu; do
        guest_boot "$g" "nmi_stress=50" "nmi-stress-$g"
        expect_log "nmi-stress-$g" "nmi-stress-$g: NMIs reached CPU 1 and were counted" 'NMI on CPU 1 ignored \((6[4-9]|[7-9][0-9]|[1-9][0-9]{2,}) so far\)'
        expect_no_log "nmi-stress-$g" "nmi-stress-$g: no hypervisor fault" 'fatal trap|Panic on CPU'
    done
else
    fail "nmi-stress: test kernels build" "see $BOOTDIR/guests-build.log"
fi

# 11. -cpu max has SMEP and SMAP: both are enabled and reported, a ring-0
#     read of a user page faults without stac (caught by the exception
#     table) and works inside stac/clac, and guest kernels that exercise
#     every guest-memory path (and a native ring-3 iretq) still pass with
#     both on.
QEMU_CPU_SAVED=$QEMU_CPU
QEMU_CPU=max
boot_image smap "console=com1 debug_exit boot_test=smap"
boot_run smap "$BOOT_SECS" -m 256M -smp 2
expect_rc smap "smap: exits with the pass status" "$QEMU_STATUS_PASS"
expect_log smap "smap: SMEP and SMAP reported on" 'CPU protections: SMEP on, SMAP on'
expect_log smap "smap: user page read without stac faulted" 'smap test: ring-0 read of a user page without stac faulted, as it must'
expect_log smap "smap: the read inside stac/clac worked" 'smap test: the same read inside stac/clac succeeded \(0x5a4d4150\)'
dump_log_on_failure smap
boot_image smap-off "console=com1 debug_exit smap=0 smep=0 boot_test=pass"
boot_run smap-off "$BOOT_SECS" -m 256M -smp 1
expect_rc smap-off "smap-off: smap=0 smep=0 boots" "$QEMU_STATUS_PASS"
expect_log smap-off "smap-off: reported off by option" 'CPU protections: SMEP off \(boot option\), SMAP off \(boot option\)'
for g in traps events misc mm dom0op badiret hostile_multicall hostile_fpu iret_self; do
    guest_boot "$g" "" "cpu-max-$g"
    expect_log "cpu-max-$g" "cpu-max-$g: ran with SMEP and SMAP on" 'CPU protections: SMEP on, SMAP on'
done
# TCG faults a ring-3 iretq's pops under SMAP; the hypervisor finishes it.
expect_log cpu-max-iret_self "cpu-max-iret_self: the TCG iretq case was met and finished" 'finishing a ring-3 iretq the CPU faulted under SMAP'

QEMU_CPU=$QEMU_CPU_SAVED

[ "$FAILED" -eq 0 ]
