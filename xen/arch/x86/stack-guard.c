/*
 * Guard pages under every hypervisor stack (layout in asm/percpu.h).
 *
 * Without them a runaway recursion on the primary stack writes straight
 * into the #MC, NMI and #DF stacks below it and the machine dies later of
 * something unrelated.  With the page below each stack unmapped, the first
 * push past the bottom is a #PF; the CPU cannot push the #PF frame on that
 * same stack either, so it raises #DF, which has an IST stack of its own.
 * The #DF handler then calls stack_overflow_report() and panics.
 *
 * The guards are removed from the hypervisor's own page tables; guests
 * share those L3 tables for the hypervisor slots, so the guards hold in
 * every address space.
 */
#include <xen/lib.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/regs.h>

static const unsigned int guard_page[STACK_GUARD_PAGES] = { 0, 2, 4, 6 };

void stack_guards_install(unsigned int cpu)
{
    unsigned long block = (unsigned long)cpu_stack_block[cpu];

    for ( unsigned int i = 0; i < STACK_GUARD_PAGES; i++ )
        if ( unmap_page_splitting(block + guard_page[i] * PAGE_SIZE) )
            panic("CPU %u: cannot unmap its stack guard pages", cpu);
}

/* Which stack sits just above guard page g. */
static const char *stack_above(unsigned int g)
{
    switch ( g )
    {
    case 0: return "#DF";
    case 2: return "NMI";
    case 4: return "#MC";
    default: return "primary";
    }
}

bool stack_overflow_report(const struct cpu_regs *r)
{
    unsigned int cpu = smp_processor_id();
    unsigned long block = (unsigned long)cpu_stack_block[cpu];
    unsigned long cr2 = read_cr2();

    for ( unsigned int i = 0; i < STACK_GUARD_PAGES; i++ )
    {
        unsigned long g = block + guard_page[i] * PAGE_SIZE;

        /* The overflowing push hit the guard (cr2), or the interrupted RSP
         * is already inside it or within a frame's size above it. */
        if ( (cr2 >= g && cr2 < g + PAGE_SIZE) ||
             (r->rsp >= g && r->rsp < g + PAGE_SIZE + 256) )
        {
            printk(XENLOG_ERR "stack overflow on CPU %u: %s stack, rsp "
                   "%016lx, guard page %016lx-%016lx, cr2 %016lx\n", cpu,
                   stack_above(guard_page[i]), (unsigned long)r->rsp, g,
                   g + PAGE_SIZE - 1, cr2);
            return true;
        }
    }
    return false;
}
