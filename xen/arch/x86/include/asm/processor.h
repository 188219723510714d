/* x86 CPU primitives: control registers, MSRs, CPUID, interrupts. */
#ifndef X86_PROCESSOR_H
#define X86_PROCESSOR_H

#include <xen/types.h>

#define X86_CR0_PE   (1UL << 0)
#define X86_CR0_MP   (1UL << 1)
#define X86_CR0_EM   (1UL << 2)
#define X86_CR0_TS   (1UL << 3)
#define X86_CR0_NE   (1UL << 5)
#define X86_CR0_WP   (1UL << 16)
#define X86_CR0_PG   (1UL << 31)
#define X86_CR4_DE   (1UL << 3)
#define X86_CR4_PAE  (1UL << 5)
#define X86_CR4_PGE  (1UL << 7)
#define X86_CR4_OSFXSR (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_EFLAGS_IF (1UL << 9)

#define MSR_EFER          0xc0000080
#define MSR_STAR          0xc0000081
#define MSR_LSTAR         0xc0000082
#define MSR_CSTAR         0xc0000083
#define MSR_SFMASK        0xc0000084
#define MSR_FS_BASE       0xc0000100
#define MSR_GS_BASE       0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_APIC_BASE     0x0000001b
#define EFER_SCE  (1UL << 0)
#define EFER_LME  (1UL << 8)
#define EFER_NXE  (1UL << 11)

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__("wrmsr" :: "c"(msr), "a"((uint32_t)v),
                         "d"((uint32_t)(v >> 32)));
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a,
                               uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
                         : "a"(leaf), "c"(sub));
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b,
                         uint32_t *c, uint32_t *d)
{
    cpuid_count(leaf, 0, a, b, c, d);
}

#define DEFINE_CR(n)                                                        \
static inline unsigned long read_cr##n(void)                                \
{                                                                           \
    unsigned long v;                                                        \
    __asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));                   \
    return v;                                                               \
}                                                                           \
static inline void write_cr##n(unsigned long v)                             \
{                                                                           \
    __asm__ __volatile__("mov %0, %%cr" #n :: "r"(v) : "memory");           \
}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void local_irq_disable(void)
{
    __asm__ __volatile__("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
    __asm__ __volatile__("sti" ::: "memory");
}

static inline unsigned long local_save_flags(void)
{
    unsigned long f;
    __asm__ __volatile__("pushf; pop %0" : "=r"(f) :: "memory");
    return f;
}

static inline unsigned long local_irq_save(void)
{
    unsigned long f = local_save_flags();
    local_irq_disable();
    return f;
}

static inline void local_irq_restore(unsigned long f)
{
    if ( f & X86_EFLAGS_IF )
        local_irq_enable();
}

static inline bool local_irq_is_enabled(void)
{
    return local_save_flags() & X86_EFLAGS_IF;
}

/* Wait for an interrupt with interrupts enabled, atomically ("sti; hlt"). */
static inline void safe_halt(void)
{
    __asm__ __volatile__("sti; hlt" ::: "memory");
}

static inline void halt(void)
{
    __asm__ __volatile__("hlt" ::: "memory");
}

static inline void invlpg(unsigned long va)
{
    __asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
}

static inline void flush_tlb_local(void)
{
    write_cr3(read_cr3());
}

static inline bool cpu_has_feature_ecx1(unsigned int bit)
{
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    return c & (1u << bit);
}

#endif /* X86_PROCESSOR_H */
