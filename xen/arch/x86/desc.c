/*
 * GDT, TSS and IDT.
 *
 * One IDT serves every CPU.  Each CPU has its own reserved GDT page (the
 * hypervisor's descriptors from selector 0xe000) and TSS, whose IST
 * entries point into the CPU's stack block (see asm/percpu.h) so #DF, NMI
 * and #MC always run on a known-good stack.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/page.h>
#include <xen/sched.h>
#include <asm/io-bitmap.h>

#define GDT_ENTRIES_PER_PAGE 512

/*
 * A CPU's TSS and its I/O-permission bitmap: the architecture finds the
 * bitmap at iomap_base inside the TSS segment and reads two bytes per
 * check, so a byte of all ones ends it.  The bitmap holds a copy of the
 * running domain's (io-bitmap.c); iomap_base points past the segment's
 * limit whenever the running vCPU may not use it, and then every port
 * access from ring 3 is #GP, as before bitmaps existed.
 */
struct tss_block {
    struct tss64 tss;
    uint8_t io_bitmap[IO_BITMAP_BYTES];
    uint8_t io_bitmap_end;              /* 0xff */
} __attribute__((aligned(16)));

#define IOMAP_OFF  0xffff               /* beyond the limit: no bitmap */

static struct idt_entry idt[256] __aligned(16);
static struct tss_block cpu0_tss;
static struct tss_block *tss_of[NR_CPUS];
static uint64_t cpu0_gdt_page[GDT_ENTRIES_PER_PAGE] __aligned(PAGE_SIZE);
static uint64_t *gdt_page_of[NR_CPUS];

/* Entry stubs, one per vector (arch/x86/entry.S). */
extern const unsigned long entry_stubs[256];

static void set_idt_gate(unsigned int v, unsigned long addr, unsigned int ist,
                         unsigned int dpl)
{
    struct idt_entry *e = &idt[v];

    e->offset0 = addr & 0xffff;
    e->selector = __HYPERVISOR_CS;
    e->ist = ist;
    e->type_attr = 0x8e | (dpl << 5);   /* present, 64-bit interrupt gate */
    e->offset1 = (addr >> 16) & 0xffff;
    e->offset2 = addr >> 32;
    e->reserved = 0;
}

void idt_set_dpl(unsigned int v, unsigned int dpl)
{
    idt[v].type_attr = (idt[v].type_attr & ~0x60) | ((dpl & 3) << 5);
}

void idt_init(void)
{
    for ( unsigned int v = 0; v < 256; v++ )
        set_idt_gate(v, entry_stubs[v], 0, 0);
    /* int3, into and int $0x80 may be raised from ring 3 (guests). */
    idt_set_dpl(3, 3);
    idt_set_dpl(4, 3);
    idt_set_dpl(0x80, 3);
    idt[2].ist = IST_NMI;
    idt[8].ist = IST_DF;
    idt[18].ist = IST_MC;
}

static void fill_reserved_gdt(uint64_t *page, struct tss_block *tss)
{
    unsigned long base = (unsigned long)tss;
    unsigned long limit = __builtin_offsetof(struct tss_block, io_bitmap_end);

    memset(page, 0, PAGE_SIZE);
    page[(__HYPERVISOR_CS & 0xfff) / 8] = 0x00af9a000000ffffUL;
    page[(__HYPERVISOR_DS & 0xfff) / 8] = 0x00cf92000000ffffUL;
    page[(FLAT_RING3_CS32 & 0xff8 & 0xfff) / 8] = 0x00cffa000000ffffUL;
    page[(FLAT_RING3_DS32 & 0xff8 & 0xfff) / 8] = 0x00cff2000000ffffUL;
    page[(FLAT_RING3_CS64 & 0xff8 & 0xfff) / 8] = 0x00affa000000ffffUL;
    /* 64-bit available TSS: 16 bytes. */
    page[(TSS_SELECTOR & 0xfff) / 8] =
        (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
        (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    page[(TSS_SELECTOR & 0xfff) / 8 + 1] = base >> 32;
}

static void load_gdt(unsigned long base, unsigned int limit)
{
    struct __packed { uint16_t limit; uint64_t base; } d = { limit, base };

    __asm__ __volatile__("lgdt %0" :: "m"(d));
    /* Reload CS through a far return, then the data segments. */
    __asm__ __volatile__(
        "pushq %0\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "mov %1, %%ss\n\t"
        "mov %1, %%ds\n\t"
        "mov %1, %%es\n\t"
        :: "i"(__HYPERVISOR_CS), "r"(__HYPERVISOR_DS) : "rax", "memory");
}

static void load_idt(void)
{
    struct __packed { uint16_t limit; uint64_t base; } d =
        { sizeof(idt) - 1, (unsigned long)idt };

    __asm__ __volatile__("lidt %0" :: "m"(d));
}

static void tss_setup(struct tss_block *blk, void *block)
{
    unsigned long b = (unsigned long)block;
    struct tss64 *tss = &blk->tss;

    memset(blk, 0, sizeof(*blk));
    memset(blk->io_bitmap, 0xff, sizeof(blk->io_bitmap));
    blk->io_bitmap_end = 0xff;
    /* Each IST stack starts at the top of its page (asm/percpu.h). */
    tss->ist[IST_DF - 1] = b + (STACK_PAGE_IST(IST_DF) + 1) * PAGE_SIZE;
    tss->ist[IST_NMI - 1] = b + (STACK_PAGE_IST(IST_NMI) + 1) * PAGE_SIZE;
    tss->ist[IST_MC - 1] = b + (STACK_PAGE_IST(IST_MC) + 1) * PAGE_SIZE;
    tss->rsp[0] = (b + STACK_SIZE - sizeof(struct cpu_info)) & ~15UL;
    tss->iomap_base = IOMAP_OFF;        /* no I/O bitmap: ring 3 gets #GP */
}

uint8_t *tss_io_bitmap(unsigned int cpu)
{
    return tss_of[cpu]->io_bitmap;
}

void tss_set_iomap_base(unsigned int cpu, bool bitmap_on)
{
    /* Read by the CPU at each I/O permission check: no TR reload. */
    tss_of[cpu]->tss.iomap_base = bitmap_on ?
        __builtin_offsetof(struct tss_block, io_bitmap) : IOMAP_OFF;
}

/*
 * Bring up the descriptor tables of a CPU.  Before the GDT windows are
 * mapped (boot CPU, early), GDTR points just below the reserved page so
 * the 0xe000 selectors work; selectors below that are unused until guests
 * exist, by which time every CPU runs on its window.
 */
void desc_init_cpu(unsigned int cpu, void *stack_block)
{
    struct tss_block *tss;
    uint64_t *gdt;

    if ( cpu == 0 )
    {
        tss = &cpu0_tss;
        gdt = cpu0_gdt_page;
    }
    else
    {
        tss = xzalloc(struct tss_block);
        gdt = alloc_xenheap_page();
        BUG_ON(!tss || !gdt);
    }
    gdt_page_of[cpu] = gdt;
    tss_of[cpu] = tss;
    tss_setup(tss, stack_block);
    fill_reserved_gdt(gdt, tss);

    load_gdt((unsigned long)gdt - FIRST_RESERVED_GDT_PAGE * PAGE_SIZE,
             FIRST_RESERVED_GDT_PAGE * PAGE_SIZE + PAGE_SIZE - 1);
    load_idt();
    __asm__ __volatile__("ltr %w0" :: "r"(TSS_SELECTOR));
}

static void *gdt_zero_page;

/* Show v's GDT frames in pages 0-13 of this CPU's window (zero page where
 * the guest has none).  The frames were validated by set_gdt. */
void gdt_window_load(unsigned int cpu, const struct vcpu *v)
{
    unsigned long va = GDT_VIRT(cpu);
    unsigned int frames = (v->arch.gdt_ents + 511) / 512;

    for ( unsigned int i = 0; i < FIRST_RESERVED_GDT_PAGE; i++ )
    {
        paddr_t pa = i < frames ? (paddr_t)v->arch.gdt_frames[i] << PAGE_SHIFT
                                : virt_to_maddr(gdt_zero_page);
        map_pages(va + i * PAGE_SIZE, pa, 1, MAP_RO | MAP_NX, false);
    }
}

/*
 * Map cpu's 16-page GDT window (pages 0-13: a shared zero page, read-only;
 * page 14: the reserved page) and switch GDTR to it.  Must run on 'cpu'.
 */
void gdt_window_activate(unsigned int cpu)
{
    unsigned long va = GDT_VIRT(cpu);
    void *zero_page;

    if ( !gdt_zero_page )
    {
        gdt_zero_page = alloc_xenheap_page();
        BUG_ON(!gdt_zero_page);
        memset(gdt_zero_page, 0, PAGE_SIZE);
    }
    zero_page = gdt_zero_page;
    for ( unsigned int i = 0; i < FIRST_RESERVED_GDT_PAGE; i++ )
        BUG_ON(map_pages(va + i * PAGE_SIZE, virt_to_maddr(zero_page), 1,
                         MAP_RO | MAP_NX, false));
    BUG_ON(map_pages(va + FIRST_RESERVED_GDT_PAGE * PAGE_SIZE,
                     cpu == 0 ? __pa_image(gdt_page_of[0])
                              : virt_to_maddr(gdt_page_of[cpu]),
                     1, MAP_RW | MAP_NX, false));
    load_gdt(va, GDT_WINDOW_PAGES * PAGE_SIZE - 1);
}
