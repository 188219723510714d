/*
 * Per-CPU SYSCALL set-up: the entry stub (see syscall-stub.S) and the
 * SYSCALL MSRs.
 *
 * Stubs live at STUBS_VIRT(cpu): one read-only executable page with the
 * code, one writable non-executable page with the data it reads.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/desc.h>
#include <asm/domain.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/processor.h>

#define STUBS_VIRT_BASE  (XEN_VIRT_START + XEN_VIRT_SIZE)   /* after the image */
#define STUBS_VIRT(cpu)  (STUBS_VIRT_BASE + (unsigned long)(cpu) * 2 * PAGE_SIZE)

extern const char syscall_stub_template[], syscall_stub_template_end[];
extern const char syscall_entry[];

#define RFLAGS_TF  (1UL << 8)
#define RFLAGS_IF  (1UL << 9)
#define RFLAGS_DF  (1UL << 10)
#define RFLAGS_NT  (1UL << 14)
#define RFLAGS_AC  (1UL << 18)

void syscall_init_cpu(unsigned int cpu)
{
    void *code = alloc_xenheap_page(), *data = alloc_xenheap_page();
    uint64_t *d = data;
    unsigned long frame = (unsigned long)guest_cpu_regs();

    BUG_ON(!code || !data);
    memset(code, 0xcc, PAGE_SIZE);              /* int3 filler */
    memcpy(code, syscall_stub_template,
           syscall_stub_template_end - syscall_stub_template);
    memset(data, 0, PAGE_SIZE);
    /* Load RSP so that the push of the guest RSP fills the frame's rsp
     * slot; the ss slot above it is filled by syscall_entry. */
    d[1] = frame + __builtin_offsetof(struct cpu_regs, rsp) + 8;
    d[2] = (unsigned long)syscall_entry;

    BUG_ON(map_pages(STUBS_VIRT(cpu), virt_to_maddr(code), 1, MAP_RO, false));
    BUG_ON(map_pages(STUBS_VIRT(cpu) + PAGE_SIZE, virt_to_maddr(data), 1,
                     MAP_RW | MAP_NX, false));

    /* SYSCALL: CS = 0xe008, SS = 0xe010 (STAR[47:32]); SYSRET unused. */
    wrmsr(MSR_STAR, ((uint64_t)(FLAT_RING3_CS32 & ~3) << 48) |
                    ((uint64_t)__HYPERVISOR_CS << 32));
    wrmsr(MSR_LSTAR, STUBS_VIRT(cpu));
    wrmsr(MSR_CSTAR, STUBS_VIRT(cpu));
    wrmsr(MSR_SFMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
