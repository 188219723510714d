/*
 * Emulation of the privileged instructions a PV guest kernel executes
 * (they #GP in ring 3) and of the "forced emulation" CPUID.
 *
 * Policy, in short: MSRs the PV ABI gives the guest (FS/GS bases) are
 * emulated; harmless architectural ones read plausibly and swallow
 * writes; anything else gets #GP, which Linux's "safe" MSR accessors
 * expect.  Port I/O (in/out, and ins/outs with or without rep) reaches
 * the machine for the ports the domain was given (emul-io.c); others read
 * all ones and drop writes, as in Xen.
 * CPUID goes through a fixed policy that hides what a ring-3 kernel
 * cannot use (see pv_cpuid()).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/version.h>
#include <asm/extable.h>
#include <asm/processor.h>
#include <asm/pv.h>

#define MSR_IA32_PLATFORM_ID   0x00000017
#define MSR_IA32_SPEC_CTRL     0x00000048
#define MSR_IA32_PRED_CMD      0x00000049
#define MSR_IA32_UCODE_REV     0x0000008b
#define MSR_IA32_SYSENTER_CS   0x00000174
#define MSR_IA32_SYSENTER_ESP  0x00000175
#define MSR_IA32_SYSENTER_EIP  0x00000176
#define MSR_IA32_MISC_ENABLE   0x000001a0
#define MSR_IA32_CR_PAT        0x00000277
#define MSR_TSC_AUX            0xc0000103

/* The PAT every CPU is programmed with (and guests are told about). */
#define HOST_PAT 0x0000050100070406UL

static uint64_t *reg_ptr(struct cpu_regs *r, unsigned int n)
{
    switch ( n )
    {
    case 0: return &r->rax;  case 1: return &r->rcx;
    case 2: return &r->rdx;  case 3: return &r->rbx;
    case 4: return &r->rsp;  case 5: return &r->rbp;
    case 6: return &r->rsi;  case 7: return &r->rdi;
    case 8: return &r->r8;   case 9: return &r->r9;
    case 10: return &r->r10; case 11: return &r->r11;
    case 12: return &r->r12; case 13: return &r->r13;
    case 14: return &r->r14; default: return &r->r15;
    }
}

void pv_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
              uint32_t *c, uint32_t *d)
{
    if ( (leaf & 0xffff0000) == 0x40000000 )
    {
        *a = *b = *c = *d = 0;
        switch ( leaf )
        {
        case 0x40000000:
            *a = 0x40000002;            /* Linux needs max - base >= 2 */
            *b = 0x566e6558;            /* "XenVMMXenVMM" */
            *c = 0x65584d4d;
            *d = 0x4d4d566e;
            break;
        case 0x40000001:
            *a = (XEN_VERSION_MAJOR << 16) | XEN_VERSION_MINOR;
            break;
        case 0x40000002:
            *a = 1;                     /* hypercall pages */
            *c = 1;                     /* MMU_PT_UPDATE_PRESERVE_AD */
            break;
        }
        return;
    }

    cpuid_count(leaf, sub, a, b, c, d);
    switch ( leaf )
    {
    case 0:
        if ( *a > 0xd )
            *a = 0xd;
        break;
    case 1:
        /* EDX: PSE, MCE, MTRR, PGE, MCA, PSE36, DS, ACPI, TM, PBE */
        *d &= ~((1u << 3) | (1u << 7) | (1u << 12) | (1u << 13) | (1u << 14) |
                (1u << 17) | (1u << 21) | (1u << 22) | (1u << 29) | (1u << 31));
        /* ECX: DTES64, MONITOR, DS_CPL, VMX, SMX, EST, TM2, PDCM, PCID,
         * X2APIC, TSC_DEADLINE, XSAVE, OSXSAVE, AVX; add HYPERVISOR. */
        *c &= ~((1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) |
                (1u << 7) | (1u << 8) | (1u << 15) | (1u << 17) | (1u << 21) |
                (1u << 24) | (1u << 26) | (1u << 27) | (1u << 28));
        *c |= 1u << 31;
        *b &= 0x00ffffffu;              /* initial APIC id: 0, as Xen */
        break;
    case 0xb:
        *d = 0;                         /* x2APIC id */
        break;
    case 5: case 6: case 0xa: case 0xd:
        *a = *b = *c = *d = 0;          /* MWAIT, power, PMU, XSAVE: none */
        break;
    case 7:
        if ( sub == 0 )
        {
            /* EBX keeps: BMI1 (3), HLE (4), ERMS (9), RTM (11), RDSEED
             * (18), ADX (19), CLFLUSHOPT (23), SHA (29). */
            *b &= (1u << 3) | (1u << 4) | (1u << 8) | (1u << 9) |
                  (1u << 11) | (1u << 18) | (1u << 19) | (1u << 23) |
                  (1u << 29);
            *c = 0;
            *d = 0;
            *a = 0;
        }
        else
            *a = *b = *c = *d = 0;
        break;
    case 0x80000001:
        *d &= ~((1u << 26) | (1u << 27));   /* 1 GiB pages, RDTSCP */
        *c &= (1u << 0) | (1u << 5) | (1u << 8);    /* LAHF, LZCNT, PREFETCHW */
        break;
    case 0x80000008:
        *b = 0;                             /* speculation controls */
        break;
    default:
        break;
    }
}

bool pv_emulate_forced_cpuid(struct cpu_regs *r)
{
    static const uint8_t sig[7] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
    uint8_t insn[7];
    uint32_t a, b, c, d;

    if ( copy_from_guest(insn, r->rip, sizeof(insn)) ||
         memcmp(insn, sig, sizeof(sig)) )
        return false;
    pv_cpuid((uint32_t)r->rax, (uint32_t)r->rcx, &a, &b, &c, &d);
    r->rax = a;
    r->rbx = b;
    r->rcx = c;
    r->rdx = d;
    r->rip += sizeof(sig);
    return true;
}

static bool canonical(uint64_t v)
{
    return (int64_t)(v << 16) >> 16 == (int64_t)v;
}

static bool read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch ( msr )
    {
    case MSR_FS_BASE:
        *val = rdmsr(MSR_FS_BASE);
        return true;
    case MSR_GS_BASE:
        *val = rdmsr(MSR_GS_BASE);
        return true;
    case MSR_KERNEL_GS_BASE:
        *val = rdmsr(MSR_KERNEL_GS_BASE);
        return true;
    case MSR_EFER:
        *val = rdmsr(MSR_EFER) & ~(1UL << 12);      /* hide SVME */
        return true;
    case MSR_APIC_BASE:
        *val = 0xfee00800UL | (v->vcpu_id == 0 ? 0x100 : 0);
        return true;
    case MSR_IA32_CR_PAT:
        *val = HOST_PAT;
        return true;
    case MSR_IA32_MISC_ENABLE:
        if ( rdmsr_safe(msr, val) )
            *val = 0;
        return true;
    case MSR_IA32_UCODE_REV:
        *val = 0;
        return true;
    case MSR_STAR: case MSR_LSTAR: case MSR_CSTAR: case MSR_SFMASK:
    case MSR_IA32_SYSENTER_CS: case MSR_IA32_SYSENTER_ESP:
    case MSR_IA32_SYSENTER_EIP:
        *val = 0;
        return true;
    default:
        return false;
    }
}

static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch ( msr )
    {
    case MSR_FS_BASE:
        if ( !canonical(val) || wrmsr_safe(MSR_FS_BASE, val) )
            return false;
        v->arch.fs_base = val;
        return true;
    case MSR_GS_BASE:           /* the active (kernel, here) GS base */
        if ( !canonical(val) || wrmsr_safe(MSR_GS_BASE, val) )
            return false;
        if ( v->arch.kernel_mode )
            v->arch.gs_base_kernel = val;
        else
            v->arch.gs_base_user = val;
        return true;
    case MSR_KERNEL_GS_BASE:
        if ( !canonical(val) || wrmsr_safe(MSR_KERNEL_GS_BASE, val) )
            return false;
        if ( v->arch.kernel_mode )
            v->arch.gs_base_user = val;
        else
            v->arch.gs_base_kernel = val;
        return true;
    case MSR_STAR: case MSR_LSTAR: case MSR_CSTAR: case MSR_SFMASK:
    case MSR_IA32_SYSENTER_CS: case MSR_IA32_SYSENTER_ESP:
    case MSR_IA32_SYSENTER_EIP: case MSR_IA32_UCODE_REV:
    case MSR_IA32_SPEC_CTRL: case MSR_IA32_PRED_CMD: case MSR_EFER:
        return true;            /* swallowed */
    case MSR_IA32_CR_PAT:
        return val == HOST_PAT;
    default:
        return false;
    }
}

static uint64_t guest_cr0(const struct vcpu *v)
{
    return (read_cr0() & ~X86_CR0_TS) | (v->arch.fpu_ts ? X86_CR0_TS : 0);
}

/*
 * May the guest, in its current mode, use cli/sti and port I/O?  Xen's
 * rule: guest user mode counts as ring 3, guest kernel mode as ring 1
 * (ring 0 with VMASST_TYPE_architectural_iopl); the virtual IOPL must be
 * at least that.
 */
static bool iopl_ok(const struct vcpu *v)
{
    unsigned int cpl = !v->arch.kernel_mode ? 3 :
        (v->domain->arch.vm_assist & (1UL << VMASST_TYPE_architectural_iopl))
        ? 0 : 1;

    return v->arch.iopl >= cpl;
}

/* mov %drN, reg / mov reg, %drN from guest kernel mode, with Xen's rules
 * (pv/debugreg.c): a refused value is #GP(0), an absent register #UD. */
static bool emulate_mov_dr(struct cpu_regs *r, const uint8_t *insn,
                           unsigned int i, unsigned int rex)
{
    struct vcpu *v = current;
    uint8_t modrm = insn[i + 2];
    unsigned int dr = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
    uint64_t *reg = reg_ptr(r, (modrm & 7) | (rex & 1 ? 8 : 0));
    unsigned long val;
    long rc;

    if ( insn[i + 1] == 0x21 )
    {
        rc = dr > 7 ? -ENODEV : pv_get_debugreg(v, dr, &val);
        if ( !rc )
            *reg = val;
    }
    else
        rc = dr > 7 ? -ENODEV : pv_set_debugreg(v, dr, *reg);
    if ( rc == -ENODEV )
    {
        pv_inject_exception(r, 6, 0);
        return true;
    }
    if ( rc )
        return false;               /* #GP(0) */
    r->rip += i + 3;
    return true;
}

/*
 * ins/outs, with or without rep: Linux uses them for ATA PIO (ata_piix)
 * and QEMU's fw_cfg (qemu_fw_cfg), both in Debian's initrd.  Each element
 * goes through the same port permissions as in/out (emul-io.c) and to or
 * from guest memory at rdi/rsi (64-bit addressing; a segment override
 * means nothing for ES and DS in long mode), forwards or backwards as
 * EFLAGS.DF says.  A rep runs at most STRING_IO_BATCH elements per trap,
 * leaving rip on the instruction with rcx counting what is left, so the
 * guest traps again for the rest (as a rep interrupted on hardware
 * resumes) and a huge rcx cannot hold the hypervisor.  A guest address it
 * may not touch ends the instruction with #GP(0) after the elements done
 * so far (the registers say how far it got).
 */
#define STRING_IO_BATCH 4096
#define X86_EFLAGS_DF   (1UL << 10)

static bool emulate_string_io(struct cpu_regs *r, uint8_t op, bool opsize16,
                              bool rep, unsigned int i, unsigned int *dbg)
{
    struct vcpu *v = current;
    unsigned int bytes = !(op & 1) ? 1 : opsize16 ? 2 : 4;
    unsigned int port = (uint16_t)r->rdx;
    bool out = op & 0x02;
    int64_t step = (r->rflags & X86_EFLAGS_DF) ? -(int64_t)bytes : bytes;
    uint64_t n = rep ? r->rcx : 1, done;
    uint32_t val;

    for ( done = 0; done < n && done < STRING_IO_BATCH; done++ )
    {
        val = 0;
        if ( out )
        {
            if ( copy_from_guest(&val, r->rsi, bytes) )
                return false;
            pv_io_write(v->domain, port, bytes, val);
            r->rsi += step;
        }
        else
        {
            val = pv_io_read(v->domain, port, bytes);
            if ( copy_to_guest(r->rdi, &val, bytes) )
                return false;
            r->rdi += step;
        }
        if ( rep )
            r->rcx--;
    }
    if ( done )
        *dbg = pv_io_breakpoints(v, port, bytes);
    if ( done == n )
        r->rip += i + 1;
    return true;
}

bool pv_emulate_privileged(struct cpu_regs *r, unsigned int *dbg)
{
    struct vcpu *v = current;
    uint8_t insn[16];
    unsigned int i = 0, rex = 0;
    bool opsize16 = false, rep = false;

    if ( copy_from_guest(insn, r->rip, sizeof(insn)) )
        return false;

    /* Legacy prefixes, then REX. */
    for ( ; i < 4; i++ )
    {
        if ( insn[i] == 0x66 )
            opsize16 = true;
        else if ( insn[i] == 0xf2 || insn[i] == 0xf3 )
            rep = true;
        else if ( insn[i] != 0x2e && insn[i] != 0x3e && insn[i] != 0x26 &&
                  insn[i] != 0x36 && insn[i] != 0x64 && insn[i] != 0x65 &&
                  insn[i] != 0xf2 && insn[i] != 0xf3 )
            break;
    }
    if ( (insn[i] & 0xf0) == 0x40 )
        rex = insn[i++];

    /* Guest user mode: only cli/sti and port I/O, under the IOPL rule. */
    if ( !v->arch.kernel_mode &&
         insn[i] != 0xfa && insn[i] != 0xfb && (insn[i] & 0xf4) != 0xe4 &&
         (insn[i] & 0xfc) != 0x6c )
        return false;

    switch ( insn[i] )
    {
    case 0x0f:
        switch ( insn[i + 1] )
        {
        case 0x30:              /* wrmsr */
            if ( !write_msr(v, (uint32_t)r->rcx,
                            ((r->rdx & 0xffffffffUL) << 32) |
                            (r->rax & 0xffffffffUL)) )
                return false;
            r->rip += i + 2;
            return true;
        case 0x32:              /* rdmsr */
        {
            uint64_t val;

            if ( !read_msr(v, (uint32_t)r->rcx, &val) )
                return false;
            r->rax = (uint32_t)val;
            r->rdx = val >> 32;
            r->rip += i + 2;
            return true;
        }
        case 0x21:              /* mov %drN, reg */
        case 0x23:              /* mov reg, %drN */
            return emulate_mov_dr(r, insn, i, rex);
        case 0x20:              /* mov %crN, reg */
        case 0x22:              /* mov reg, %crN */
        {
            uint8_t modrm = insn[i + 2];
            unsigned int cr = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
            uint64_t *reg = reg_ptr(r, (modrm & 7) | (rex & 1 ? 8 : 0));

            if ( (modrm >> 6) != 3 )
                return false;
            if ( insn[i + 1] == 0x20 )
            {
                switch ( cr )
                {
                case 0: *reg = guest_cr0(v); break;
                case 2: *reg = v->vcpu_info->arch.cr2; break;
                case 3: *reg = vcpu_cr3(v); break;
                case 4: *reg = (read_cr4() & (X86_CR4_PAE | X86_CR4_OSFXSR |
                                              X86_CR4_OSXMMEXCPT)) |
                               (v->arch.cr4_de ? X86_CR4_DE : 0); break;
                default: return false;
                }
            }
            else
            {
                switch ( cr )
                {
                case 0:         /* only TS may change */
                    v->arch.fpu_ts = *reg & X86_CR0_TS;
                    if ( v->arch.fpu_ts )
                        write_cr0(read_cr0() | X86_CR0_TS);
                    else
                        __asm__ __volatile__("clts");
                    break;
                case 4:         /* guest-controllable: DE (virtual) */
                    v->arch.cr4_de = *reg & X86_CR4_DE;
                    break;
                default:
                    return false;
                }
            }
            r->rip += i + 3;
            return true;
        }
        case 0x09:              /* wbinvd: not needed for a guest */
        case 0x06:              /* clts */
            if ( insn[i + 1] == 0x06 )
            {
                v->arch.fpu_ts = false;
                __asm__ __volatile__("clts");
            }
            r->rip += i + 2;
            return true;
        default:
            return false;
        }

    /* cli/sti where the IOPL allows them: skipped, changing nothing (Xen
     * does not let them touch the event mask: a later popf could not
     * undo it).  Otherwise #GP(0). */
    case 0xfa:
    case 0xfb:
        if ( !iopl_ok(v) )
            return false;
        r->rip += i + 1;
        return true;

    /* Port I/O where the IOPL allows it (otherwise #GP(0)), in either
     * guest mode; then the domain's port permissions (emul-io.c). */
    case 0xe4: case 0xe5:       /* in al/eax, imm8 */
    case 0xec: case 0xed:       /* in al/eax, dx */
    case 0xe6: case 0xe7:       /* out imm8, al/eax */
    case 0xee: case 0xef:       /* out dx, al/eax */
    {
        unsigned int bytes = !(insn[i] & 1) ? 1 : opsize16 ? 2 : 4;
        unsigned int port = insn[i] & 0x08 ? (uint16_t)r->rdx : insn[i + 1];
        uint32_t val;

        if ( !iopl_ok(v) )
            return false;
        *dbg = pv_io_breakpoints(v, port, bytes);
        if ( insn[i] & 0x02 )
            pv_io_write(v->domain, port, bytes, (uint32_t)r->rax);
        else
        {
            val = pv_io_read(v->domain, port, bytes);
            if ( bytes == 1 )
                r->rax = (r->rax & ~0xffUL) | val;
            else if ( bytes == 2 )
                r->rax = (r->rax & ~0xffffUL) | val;
            else
                r->rax = val;   /* 32-bit writes zero-extend */
        }
        r->rip += i + ((insn[i] & 0x08) ? 1 : 2);
        return true;
    }
    case 0x6c: case 0x6d:       /* ins m8/m16/m32, dx */
    case 0x6e: case 0x6f:       /* outs dx, m8/m16/m32 */
        if ( !iopl_ok(v) )
            return false;
        return emulate_string_io(r, insn[i], opsize16, rep, i, dbg);
    default:
        return false;
    }
}

/* Does this opcode (after prefixes and REX) have a ModRM byte? */
static bool has_modrm(const uint8_t *op)
{
    uint8_t b = op[0];

    if ( b == 0x0f )
    {
        b = op[1];
        if ( b == 0x38 || b == 0x3a )
            return true;
        return !((b >= 0x04 && b <= 0x0b) || b == 0x0e ||
                 (b >= 0x30 && b <= 0x37) || b == 0x77 ||
                 (b >= 0x80 && b <= 0x8f) || b == 0xa0 || b == 0xa1 ||
                 b == 0xa2 || b == 0xa8 || b == 0xa9 || b == 0xaa ||
                 (b >= 0xc8 && b <= 0xcf));
    }
    if ( b < 0x40 )
        return (b & 7) < 4;
    return b == 0x63 || b == 0x69 || b == 0x6b || (b >= 0x80 && b <= 0x8f) ||
           b == 0xc0 || b == 0xc1 || b == 0xc6 || b == 0xc7 ||
           (b >= 0xd0 && b <= 0xd3) || (b >= 0xd8 && b <= 0xdf) ||
           b == 0xf6 || b == 0xf7 || b == 0xfe || b == 0xff;
}

/* Instructions that use the stack implicitly (push, pop, call, ret...). */
static bool implicit_stack(const uint8_t *op)
{
    uint8_t b = op[0], reg = (op[1] >> 3) & 7;

    return (b >= 0x50 && b <= 0x5f) || b == 0x68 || b == 0x6a ||
           b == 0x9c || b == 0x9d || b == 0xc2 || b == 0xc3 ||
           b == 0xc8 || b == 0xc9 || b == 0xe8 || b == 0x8f ||
           (b == 0xff && (reg == 2 || reg == 6)) ||
           (b == 0x0f && (op[1] == 0xa0 || op[1] == 0xa1 ||
                          op[1] == 0xa8 || op[1] == 0xa9));
}

/*
 * A #GP(0) from the guest that the architecture reports as #SS(0): a
 * non-canonical address through the stack segment, i.e. an implicit stack
 * access with a non-canonical RSP, or a memory operand whose segment is
 * SS (an %ss: override, or no DS/ES/FS/GS/CS override and a base of %rsp
 * or %rbp).  TCG raises #GP for every non-canonical address; Xen on
 * hardware passes the CPU's #SS on, so the guest must see #SS here.
 */
bool pv_gp_is_stack_fault(const struct cpu_regs *r)
{
    uint8_t insn[16], seg = 0;
    unsigned int i = 0, rex = 0, mod, rm, base;
    uint64_t ea = 0;
    bool addr32 = false, ss;

    if ( copy_from_guest(insn, r->rip, sizeof(insn)) )
        return false;
    for ( ; i < 14; i++ )
    {
        uint8_t b = insn[i];

        if ( b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
             b == 0x64 || b == 0x65 )
            seg = b;
        else if ( b == 0x67 )
            addr32 = true;
        else if ( b != 0x66 && b != 0xf0 && b != 0xf2 && b != 0xf3 )
            break;
    }
    if ( (insn[i] & 0xf0) == 0x40 )
        rex = insn[i++];
    if ( i > 13 )
        return false;
    if ( implicit_stack(&insn[i]) && !canonical(r->rsp) )
        return true;
    if ( !has_modrm(&insn[i]) )
        return false;
    i += insn[i] == 0x0f ? ((insn[i + 1] == 0x38 || insn[i + 1] == 0x3a)
                            ? 3 : 2) : 1;
    if ( i > 10 )
        return false;
    mod = insn[i] >> 6;
    rm = insn[i] & 7;
    if ( mod == 3 )
        return false;                       /* register operand */
    if ( rm == 4 )
    {
        uint8_t sib = insn[++i];
        unsigned int idx = ((sib >> 3) & 7) | (rex & 2 ? 8 : 0);

        base = (sib & 7) | (rex & 1 ? 8 : 0);
        if ( idx != 4 )
            ea += *reg_ptr((struct cpu_regs *)r, idx) << (sib >> 6);
        if ( (sib & 7) == 5 && mod == 0 )
            base = ~0u;                     /* disp32, no base */
    }
    else if ( rm == 5 && mod == 0 )
        return false;                       /* RIP-relative: DS */
    else
        base = rm | (rex & 1 ? 8 : 0);
    if ( base != ~0u )
        ea += *reg_ptr((struct cpu_regs *)r, base);
    if ( mod == 1 )
        ea += (int64_t)(int8_t)insn[i + 1];
    else if ( mod == 2 || base == ~0u )
        ea += (int64_t)(int32_t)(insn[i + 1] | (insn[i + 2] << 8) |
                                 (insn[i + 3] << 16) |
                                 ((uint32_t)insn[i + 4] << 24));
    if ( addr32 )
        ea = (uint32_t)ea;
    ss = seg ? seg == 0x36 : (base == 4 || base == 5);
    return ss && !canonical(ea);
}

/* Boot: program the PAT guests are told about (see read_msr). */
void pat_init_cpu(void)
{
    wrmsr(MSR_IA32_CR_PAT, HOST_PAT);
}
