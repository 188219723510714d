/* The page-table write emulator on its own (fake memory behind the ops),
 * then writable page tables end to end (pv_ptwr_fault on a real tree). */

#include "harness.h"
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/domain-page.h>
#include <asm/regs.h>
#include <asm/pv-mm.h>

/* ---- fake memory: 4 words at MEM_VA ----------------------------------- */

#define MEM_VA 0x7000000UL
static uint64_t mem[4] __attribute__((aligned(16)));
static unsigned int races_left;     /* cmpxchg reports a race this often */
static bool refuse;

static int fake_read(void *ctx, unsigned long addr, void *buf, unsigned int n)
{
    (void)ctx;
    if ( addr < MEM_VA || addr - MEM_VA > sizeof(mem) - n )
        return -EFAULT;
    memcpy(buf, (uint8_t *)mem + (addr - MEM_VA), n);
    return 0;
}

static int fake_cmpxchg(void *ctx, unsigned long addr, void *old,
                        const void *new, unsigned int n)
{
    uint8_t *p;

    (void)ctx;
    if ( refuse || addr < MEM_VA || addr - MEM_VA > sizeof(mem) - n )
        return -EINVAL;
    p = (uint8_t *)mem + (addr - MEM_VA);
    if ( races_left )
    {
        races_left--;
        mem[0] ^= 0x40;             /* the "MMU" flips Dirty meanwhile */
    }
    if ( memcmp(p, old, n) )
    {
        memcpy(old, p, n);
        return -EAGAIN;
    }
    memcpy(p, new, n);
    return 0;
}

static const struct pte_emul_ops fake_ops = { fake_read, fake_cmpxchg };

static struct cpu_regs regs;

static enum pte_emul_result run(const uint8_t *insn, unsigned int len)
{
    return pte_emulate(&regs, insn, len, &fake_ops, NULL);
}

#define RUN(...) ({ static const uint8_t i_[] = { __VA_ARGS__ };             \
                    run(i_, sizeof(i_)); })

static void reset(void)
{
    memset(&regs, 0, sizeof(regs));
    memset(mem, 0, sizeof(mem));
    regs.rip = 0x1000;
    regs.rdi = MEM_VA;
    races_left = 0;
    refuse = false;
}

static void emul_mov_forms(void)
{
    reset();
    regs.rax = 0x1122334455667788UL;
    CHECK_EQ(RUN(0x48, 0x89, 0x07), PTE_EMUL_DONE);         /* mov %rax,(%rdi) */
    CHECK_EQ(mem[0], 0x1122334455667788UL);
    CHECK_EQ(regs.rip, 0x1003);
    CHECK_EQ(RUN(0x48, 0xc7, 0x07, 0, 0, 0, 0), PTE_EMUL_DONE);  /* movq $0 */
    CHECK_EQ(mem[0], 0);
    CHECK_EQ(RUN(0x48, 0xc7, 0x47, 0x08, 0xff, 0xff, 0xff, 0xff), PTE_EMUL_DONE);
    CHECK_EQ(mem[1], ~0UL);                                  /* sign-extended */
    mem[0] = ~0UL;
    regs.rcx = 0xaabbccdd;
    CHECK_EQ(RUN(0x89, 0x0f), PTE_EMUL_DONE);                /* 32-bit */
    CHECK_EQ(mem[0], 0xffffffffaabbccddUL);
    CHECK_EQ(RUN(0x66, 0x89, 0x0f), PTE_EMUL_DONE);          /* 16-bit */
    CHECK_EQ(mem[0], 0xffffffffaabbccddUL);
    regs.rax = 0x4200;
    CHECK_EQ(RUN(0x88, 0x67, 0x01), PTE_EMUL_DONE);          /* mov %ah,1(%rdi) */
    CHECK_EQ(mem[0], 0xffffffffaabb42ddUL);
    regs.r8 = 0x55;
    regs.rax = 2;
    CHECK_EQ(RUN(0x4c, 0x89, 0x04, 0xc7), PTE_EMUL_DONE);    /* mov %r8,(%rdi,%rax,8) */
    CHECK_EQ(mem[2], 0x55);
    /* RIP-relative: the target is relative to the next instruction. */
    regs.rip = MEM_VA - 7 - 0x10;
    regs.rbx = 0x77;
    CHECK_EQ(RUN(0x48, 0x89, 0x1d, 0x28, 0, 0, 0), PTE_EMUL_DONE);
    CHECK_EQ(mem[3], 0x77);
    /* mov $imm8 into one byte; REX.B base register. */
    regs.r9 = MEM_VA;
    CHECK_EQ(RUN(0x41, 0xc6, 0x41, 0x03, 0x99), PTE_EMUL_DONE);
    CHECK_EQ((mem[0] >> 24) & 0xff, 0x99);
}

static void emul_xchg_and_logic(void)
{
    reset();
    mem[0] = 0x1003;
    regs.rdx = 0x2007;
    CHECK_EQ(RUN(0x48, 0x87, 0x17), PTE_EMUL_DONE);          /* xchg %rdx,(%rdi) */
    CHECK_EQ(mem[0], 0x2007);
    CHECK_EQ(regs.rdx, 0x1003);
    regs.rflags = 0x1 | 0x800;                               /* CF, OF set */
    CHECK_EQ(RUN(0xf0, 0x80, 0x27, 0xfd), PTE_EMUL_DONE);    /* lock andb $~RW */
    CHECK_EQ(mem[0], 0x2005);
    CHECK_EQ(regs.rflags & 0x801, 0);                        /* and clears CF/OF */
    CHECK_EQ(RUN(0x3e, 0x80, 0x27, 0x00), PTE_EMUL_DONE);    /* ds instead of lock */
    CHECK_EQ(mem[0], 0x2000);
    CHECK(regs.rflags & 0x40);                               /* low byte 0: ZF */
    regs.rsi = 0x8000000000000000UL;
    CHECK_EQ(RUN(0xf0, 0x48, 0x09, 0x37), PTE_EMUL_DONE);    /* lock or %rsi */
    CHECK_EQ(mem[0], 0x8000000000002000UL);
    CHECK(regs.rflags & 0x80);                               /* SF */
    CHECK_EQ(RUN(0x48, 0x83, 0x27, 0xfe), PTE_EMUL_DONE);    /* and $-2 (sext) */
    CHECK_EQ(mem[0], 0x8000000000002000UL);
    CHECK_EQ(RUN(0x48, 0x81, 0x37, 0x01, 0, 0, 0), PTE_EMUL_DONE);  /* xor $1 */
    CHECK_EQ(mem[0], 0x8000000000002001UL);
}

static void emul_bit_ops(void)
{
    reset();
    mem[0] = 0x23;
    CHECK_EQ(RUN(0xf0, 0x48, 0x0f, 0xba, 0x37, 0x05), PTE_EMUL_DONE); /* btr $5 */
    CHECK_EQ(mem[0], 0x3);
    CHECK(regs.rflags & 1);                                  /* old bit was 1 */
    CHECK_EQ(RUN(0xf0, 0x48, 0x0f, 0xba, 0x37, 0x05), PTE_EMUL_DONE);
    CHECK(!(regs.rflags & 1));
    CHECK_EQ(RUN(0x3e, 0x48, 0x0f, 0xba, 0x2f, 0x3f), PTE_EMUL_DONE); /* bts $63 */
    CHECK_EQ(mem[0], 0x8000000000000003UL);
    regs.rax = 70;                                           /* word 1, bit 6 */
    CHECK_EQ(RUN(0xf0, 0x48, 0x0f, 0xab, 0x07), PTE_EMUL_DONE);       /* bts %rax */
    CHECK_EQ(mem[1], 0x40);
    CHECK_EQ(RUN(0xf0, 0x48, 0x0f, 0xb3, 0x07), PTE_EMUL_DONE);       /* btr %rax */
    CHECK_EQ(mem[1], 0);
    CHECK(regs.rflags & 1);
    CHECK_EQ(RUN(0x48, 0x0f, 0xbb, 0x07), PTE_EMUL_DONE);             /* btc */
    CHECK_EQ(mem[1], 0x40);
    regs.rax = (uint64_t)-1;                                 /* bit -1: word -1 */
    regs.rdi = MEM_VA + 8;
    CHECK_EQ(RUN(0x48, 0x0f, 0xab, 0x07), PTE_EMUL_DONE);
    CHECK_EQ(mem[0], 0x8000000000000003UL);                  /* already set */
    CHECK(regs.rflags & 1);
    CHECK_EQ(RUN(0x0f, 0xba, 0x27, 0x01), PTE_EMUL_UNHANDLED);        /* bt: no write */
}

static void emul_cmpxchg_forms(void)
{
    reset();
    mem[0] = 5;
    regs.rax = 5;
    regs.rcx = 9;
    CHECK_EQ(RUN(0xf0, 0x48, 0x0f, 0xb1, 0x0f), PTE_EMUL_DONE);
    CHECK_EQ(mem[0], 9);
    CHECK(regs.rflags & 0x40);
    CHECK_EQ(RUN(0xf0, 0x48, 0x0f, 0xb1, 0x0f), PTE_EMUL_DONE);        /* 5 != 9 */
    CHECK_EQ(mem[0], 9);
    CHECK_EQ(regs.rax, 9);
    CHECK(!(regs.rflags & 0x40));
    CHECK(regs.rflags & 1);                                  /* 5 - 9 borrows */
    /* cmpxchg8b: edx:eax vs memory, ecx:ebx stored. */
    mem[0] = 0x0000000200000001UL;
    regs.rax = 1; regs.rdx = 2; regs.rbx = 3; regs.rcx = 4;
    CHECK_EQ(RUN(0xf0, 0x0f, 0xc7, 0x0f), PTE_EMUL_DONE);
    CHECK_EQ(mem[0], 0x0000000400000003UL);
    CHECK(regs.rflags & 0x40);
    CHECK_EQ(RUN(0xf0, 0x0f, 0xc7, 0x0f), PTE_EMUL_DONE);
    CHECK_EQ(regs.rax, 3);
    CHECK_EQ(regs.rdx, 4);
    CHECK(!(regs.rflags & 0x40));
    /* cmpxchg16b over two words. */
    mem[0] = 10; mem[1] = 20;
    regs.rax = 10; regs.rdx = 20; regs.rbx = 30; regs.rcx = 40;
    CHECK_EQ(RUN(0xf0, 0x48, 0x0f, 0xc7, 0x0f), PTE_EMUL_DONE);
    CHECK_EQ(mem[0], 30);
    CHECK_EQ(mem[1], 40);
    regs.rdi = MEM_VA + 8;                                   /* misaligned */
    CHECK_EQ(RUN(0xf0, 0x48, 0x0f, 0xc7, 0x0f), PTE_EMUL_REFUSED);
    /* 8-bit cmpxchg compares AL. */
    regs.rdi = MEM_VA;
    mem[0] = 0x1e;
    regs.rax = 0x1e;
    regs.rdx = 0x7f;
    CHECK_EQ(RUN(0x0f, 0xb0, 0x17), PTE_EMUL_DONE);
    CHECK_EQ(mem[0], 0x7f);
}

static void emul_races_and_refusals(void)
{
    reset();
    mem[0] = 0x23;
    races_left = 3;                 /* the "MMU" keeps setting Dirty */
    CHECK_EQ(RUN(0xf0, 0x48, 0x0f, 0xba, 0x37, 0x05), PTE_EMUL_DONE);
    CHECK_EQ(mem[0], 0x43);         /* Dirty kept, Accessed cleared */
    races_left = 1000;
    CHECK_EQ(RUN(0xf0, 0x48, 0x0f, 0xba, 0x37, 0x05), PTE_EMUL_RETRY);
    reset();
    refuse = true;
    CHECK_EQ(RUN(0x48, 0x89, 0x07), PTE_EMUL_REFUSED);
    CHECK_EQ(regs.rip, 0x1000);                              /* not advanced */
    refuse = false;
    regs.rdi = 0x1000;                                       /* outside */
    CHECK_EQ(RUN(0x48, 0x89, 0x07), PTE_EMUL_REFUSED);
    regs.rdi = MEM_VA;
    CHECK_EQ(RUN(0x48, 0x8b, 0x07), PTE_EMUL_UNHANDLED);     /* a load */
    CHECK_EQ(RUN(0x64, 0x48, 0x89, 0x07), PTE_EMUL_UNHANDLED); /* %fs: */
    CHECK_EQ(RUN(0xf3, 0x48, 0xab), PTE_EMUL_UNHANDLED);     /* rep stos */
    CHECK_EQ(RUN(0x48, 0x89, 0xc7), PTE_EMUL_UNHANDLED);     /* reg-reg */
    CHECK_EQ(RUN(0x48, 0xc7, 0x07, 0x00), PTE_EMUL_UNHANDLED); /* truncated */
    CHECK_EQ(RUN(0x48, 0xc7, 0x0f, 0, 0, 0, 0), PTE_EMUL_UNHANDLED); /* /1 */
    CHECK_EQ(RUN(0x80, 0x07, 0x01), PTE_EMUL_UNHANDLED);     /* add: not ours */
    CHECK_EQ(run((const uint8_t *)"", 0), PTE_EMUL_UNHANDLED);
    CHECK_EQ(regs.rip, 0x1000);
    /* Random bytes never crash the decoder. */
    for ( unsigned int i = 0; i < 20000; i++ )
    {
        uint8_t b[15];

        for ( unsigned int j = 0; j < sizeof(b); j++ )
            b[j] = rng_next();
        regs.rdi = MEM_VA;
        regs.rip = 0x1000;
        (void)run(b, 1 + rng_next() % 15);
    }
}

/* ---- writable page tables end to end ---------------------------------- */

static struct domain *d;
static struct vcpu *v;
static struct tree t;

static void setup_guest(void)
{
    d = new_domain(1, false, 64);
    v = new_vcpu(d, 0);
    set_current(v);
    build_tree(d, &t);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(pv_set_guest_table(v, t.l4, false), 0);
    memset(&regs, 0, sizeof(regs));
}

/* The guest's code: instruction bytes in host memory, RIP pointing there. */
static uint8_t text[32];

static int fault_n(const uint8_t *code, size_t n, unsigned long addr,
                   unsigned int ec)
{
    memset(text, 0x90, sizeof(text));
    memcpy(text, code, n);
    regs.rip = gva(text);
    return pv_ptwr_fault(&regs, addr, ec);
}
#define fault(code, addr, ec) fault_n(code, sizeof(code), addr, ec)

static void ptwr_emulates_pte_writes(void)
{
    static const uint8_t mov[] = { 0x48, 0x89, 0x07, 0x90 };
    static const uint8_t btr[] = { 0xf0, 0x48, 0x0f, 0xba, 0x37, 0x05 };
    static const uint8_t andb[] = { 0x3e, 0x80, 0x27, 0xfd };
    static const uint8_t xchg[] = { 0x48, 0x87, 0x07 };
    mfn_t a;
    uint64_t rip0;

    setup_guest();
    a = domain_frame(d);
    regs.rdi = 0x1000 + 5 * 8;                  /* VA of l1[5] */
    regs.rax = mkpte(a, PTE_RW);
    CHECK_EQ(fault(mov, regs.rdi, 3 | 4), 1);
    rip0 = regs.rip;
    CHECK_EQ(rip0, gva(text) + 3);
    CHECK_EQ(frame_va(t.l1)[5], mkpte(a, PTE_RW) | _PAGE_USER);
    CHECK_EQ(type_count(a), 1);
    CHECK_EQ(gen_count(a), 2);
    CHECK_EQ(mm_audit_domain(d), 0);
    (void)rip0;

    /* test_and_clear_young on the Accessed bit. */
    CHECK_EQ(fault(btr, regs.rdi, 3 | 4), 1);
    CHECK(regs.rflags & 1);
    CHECK_EQ(frame_va(t.l1)[5], mkpte(a, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER));
    /* wrprotect with the ds-for-lock patch: writable ref dropped. */
    CHECK_EQ(fault(andb, regs.rdi, 3 | 4), 1);
    CHECK_EQ(frame_va(t.l1)[5], mkpte(a, _PAGE_PRESENT | _PAGE_USER));
    CHECK_EQ(type_count(a), 0);
    /* ptep_get_and_clear. */
    regs.rdx = 0;
    static const uint8_t xchg_rdx[] = { 0x48, 0x87, 0x17 };
    (void)xchg;
    CHECK_EQ(fault(xchg_rdx, regs.rdi, 3 | 4), 1);
    CHECK_EQ(regs.rdx, mkpte(a, _PAGE_PRESENT | _PAGE_USER));
    CHECK_EQ(frame_va(t.l1)[5], 0);
    CHECK_EQ(gen_count(a), 1);
    CHECK_EQ(mm_audit_domain(d), 0);
}

static void ptwr_refuses_and_declines(void)
{
    static const uint8_t mov[] = { 0x48, 0x89, 0x07 };
    static const uint8_t load[] = { 0x48, 0x8b, 0x07 };

    setup_guest();
    regs.rdi = 0x1000 + 6 * 8;
    /* A writable mapping of a page table: refused, entry untouched. */
    regs.rax = mkpte(t.l2, PTE_RW);
    CHECK_EQ(fault(mov, regs.rdi, 3), 0);
    CHECK_EQ(frame_va(t.l1)[6], 0);
    /* Not a write fault / not present / reserved-bit fault. */
    regs.rax = 0;
    CHECK_EQ(fault(mov, regs.rdi, 1), 0);
    CHECK_EQ(fault(mov, regs.rdi, 2), 0);
    CHECK_EQ(fault(mov, regs.rdi, 3 | 8), 0);
    /* A frame that is not a page table (data at VA 0 is mapped RW). */
    regs.rdi = 0x10;
    CHECK_EQ(fault(mov, 0x10, 3), 0);
    /* Not emulated: a load. */
    regs.rdi = 0x1000 + 6 * 8;
    CHECK_EQ(fault(load, regs.rdi, 3), 0);
    /* The instruction's address is elsewhere than the fault. */
    regs.rdi = 0x2000;
    CHECK_EQ(fault(mov, 0x1000 + 6 * 8, 3), 0);
    /* The L4 is written the same way; its hypervisor slots are not. */
    regs.rdi = 0x2000 + 256 * 8;
    CHECK_EQ(fault(mov, regs.rdi, 3), 0);
    CHECK_EQ(frame_va(t.l4)[256], pv_hypervisor_l4e(256));
    regs.rdi = 0x2000 + 5 * 8;
    CHECK_EQ(fault(mov, regs.rdi, 3), 1);
    /* Without the VM assist nothing is emulated. */
    d->arch.vm_assist = 0;
    regs.rdi = 0x1000 + 6 * 8;
    CHECK_EQ(fault(mov, regs.rdi, 3), 0);
    CHECK_EQ(mm_audit_domain(d), 0);
}

const struct test_case emul_cases[] = {
    { "mov-forms", emul_mov_forms },
    { "xchg-and-logic", emul_xchg_and_logic },
    { "bit-ops", emul_bit_ops },
    { "cmpxchg-forms", emul_cmpxchg_forms },
    { "races-and-refusals", emul_races_and_refusals },
    { "ptwr-emulates-pte-writes", ptwr_emulates_pte_writes },
    { "ptwr-refuses-and-declines", ptwr_refuses_and_declines },
    { NULL, NULL },
};
