/*
 * A small x86-64 emulator for the instructions guests use to write page
 * table entries: mov, xchg, cmpxchg, cmpxchg8b/16b, and/or/xor, bts/btr/btc
 * with a memory destination, with or without a lock prefix (or the ds
 * prefix Linux patches in place of lock on one CPU).
 *
 * It knows nothing about page tables: memory goes through the caller's
 * ops, and every write is a compare-and-exchange against what was read, so
 * a read-modify-write is atomic with respect to the caller's memory (which
 * the MMU may update concurrently) and is simply retried when it raced.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <asm/regs.h>
#include <asm/pv-mm.h>

#define MAX_INSN_LEN    15
#define MAX_RETRIES     64

#define FL_CF   (1UL << 0)
#define FL_PF   (1UL << 2)
#define FL_AF   (1UL << 4)
#define FL_ZF   (1UL << 6)
#define FL_SF   (1UL << 7)
#define FL_OF   (1UL << 11)
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

enum op_kind {
    OP_MOV, OP_XCHG, OP_OR, OP_AND, OP_XOR, OP_CMPXCHG, OP_CMPXCHG_WIDE,
    OP_BTS, OP_BTR, OP_BTC,
};

struct decoded {
    enum op_kind op;
    unsigned int size;          /* memory operand bytes */
    unsigned int rex;
    unsigned int reg;           /* ModRM reg field, REX.R applied */
    bool src_is_imm;
    uint64_t imm;
    unsigned long ea;
    unsigned int len;
};

static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
    switch ( n )
    {
    case 0: return &r->rax;
    case 1: return &r->rcx;
    case 2: return &r->rdx;
    case 3: return &r->rbx;
    case 4: return &r->rsp;
    case 5: return &r->rbp;
    case 6: return &r->rsi;
    case 7: return &r->rdi;
    case 8: return &r->r8;
    case 9: return &r->r9;
    case 10: return &r->r10;
    case 11: return &r->r11;
    case 12: return &r->r12;
    case 13: return &r->r13;
    case 14: return &r->r14;
    default: return &r->r15;
    }
}

static uint64_t size_mask(unsigned int size)
{
    return size >= 8 ? ~0UL : (1UL << (size * 8)) - 1;
}

/* Register operand of 'size' bytes; without REX, byte registers 4-7 are
 * AH, CH, DH, BH. */
static uint64_t reg_read(struct cpu_regs *r, unsigned int n,
                         unsigned int size, unsigned int rex)
{
    if ( size == 1 && !rex && n >= 4 && n < 8 )
        return (*gpr(r, n - 4) >> 8) & 0xff;
    return *gpr(r, n) & size_mask(size);
}

static void reg_write(struct cpu_regs *r, unsigned int n, unsigned int size,
                      unsigned int rex, uint64_t v)
{
    uint64_t *p;

    if ( size == 1 && !rex && n >= 4 && n < 8 )
    {
        p = gpr(r, n - 4);
        *p = (*p & ~0xff00UL) | ((v & 0xff) << 8);
        return;
    }
    p = gpr(r, n);
    if ( size == 4 )
        *p = v & 0xffffffffUL;          /* 32-bit writes zero-extend */
    else if ( size == 8 )
        *p = v;
    else
        *p = (*p & ~size_mask(size)) | (v & size_mask(size));
}

static unsigned long set_flags(unsigned long rflags, unsigned long which,
                               unsigned long values)
{
    return (rflags & ~which) | (values & which);
}

static bool parity_even(uint64_t v)
{
    return !__builtin_parity((unsigned int)(v & 0xff));
}

static unsigned long logic_flags(uint64_t res, unsigned int size)
{
    unsigned long f = 0;

    res &= size_mask(size);
    if ( res == 0 )
        f |= FL_ZF;
    if ( res >> (size * 8 - 1) & 1 )
        f |= FL_SF;
    if ( parity_even(res) )
        f |= FL_PF;
    return f;
}

/* Flags of "cmp a, b" (a - b). */
static unsigned long sub_flags(uint64_t a, uint64_t b, unsigned int size)
{
    uint64_t m = size_mask(size);
    uint64_t res = (a - b) & m;
    unsigned int top = size * 8 - 1;
    unsigned long f = logic_flags(res, size);

    a &= m;
    b &= m;
    if ( a < b )
        f |= FL_CF;
    if ( ((a ^ b) & (a ^ res)) >> top & 1 )
        f |= FL_OF;
    if ( (a ^ b ^ res) & 0x10 )
        f |= FL_AF;
    return f;
}

/* ---- Decoding ----------------------------------------------------------- */

struct cursor {
    const uint8_t *p;
    unsigned int len, pos;
};

static bool take(struct cursor *c, unsigned int n, uint64_t *out, bool sext)
{
    uint64_t v = 0;

    if ( c->pos + n > c->len )
        return false;
    for ( unsigned int i = 0; i < n; i++ )
        v |= (uint64_t)c->p[c->pos + i] << (8 * i);
    c->pos += n;
    if ( sext && n < 8 )
    {
        unsigned int sh = 64 - 8 * n;
        v = (uint64_t)((int64_t)(v << sh) >> sh);
    }
    *out = v;
    return true;
}

/* ModRM (+SIB, displacement).  Leaves a RIP-relative base to be added once
 * the whole length is known. */
static bool decode_modrm(struct cursor *c, struct cpu_regs *r,
                         struct decoded *dc, bool *rip_rel)
{
    uint64_t modrm, sib, disp = 0;
    unsigned int mod, rm;
    unsigned long ea = 0;

    if ( !take(c, 1, &modrm, false) )
        return false;
    mod = modrm >> 6;
    rm = modrm & 7;
    dc->reg = ((modrm >> 3) & 7) | ((dc->rex & 4) << 1);
    *rip_rel = false;
    if ( mod == 3 )
        return false;                   /* register operand: not a store */

    if ( rm == 4 )
    {
        unsigned int scale, index, base;

        if ( !take(c, 1, &sib, false) )
            return false;
        scale = sib >> 6;
        index = ((sib >> 3) & 7) | ((dc->rex & 2) << 2);
        base = (sib & 7) | ((dc->rex & 1) << 3);
        if ( index != 4 )
            ea += *gpr(r, index) << scale;
        if ( (base & 7) == 5 && mod == 0 )
        {
            if ( !take(c, 4, &disp, true) )
                return false;
        }
        else
            ea += *gpr(r, base);
    }
    else if ( rm == 5 && mod == 0 )
    {
        if ( !take(c, 4, &disp, true) )
            return false;
        *rip_rel = true;
    }
    else
        ea += *gpr(r, rm | ((dc->rex & 1) << 3));

    if ( mod == 1 && !take(c, 1, &disp, true) )
        return false;
    if ( mod == 2 && !take(c, 4, &disp, true) )
        return false;
    dc->ea = ea + disp;
    return true;
}

static bool decode(struct cpu_regs *r, const uint8_t *insn, unsigned int len,
                   struct decoded *dc)
{
    struct cursor c = { insn, len > MAX_INSN_LEN ? MAX_INSN_LEN : len, 0 };
    bool opsize16 = false, addr32 = false, rip_rel, two_byte = false;
    uint64_t b, imm;
    unsigned int opc, imm_bytes = 0, group;
    bool byte_op;

    memset(dc, 0, sizeof(*dc));
    for ( ;; )
    {
        if ( !take(&c, 1, &b, false) )
            return false;
        if ( b == 0xf0 || b == 0x3e || b == 0x2e || b == 0x26 || b == 0x36 )
            dc->rex = 0;                /* a REX must come last */
        else if ( b == 0x66 )
        {
            opsize16 = true;
            dc->rex = 0;
        }
        else if ( b == 0x67 )
        {
            addr32 = true;
            dc->rex = 0;
        }
        else if ( b >= 0x40 && b <= 0x4f )
            dc->rex = b;
        else
            break;                      /* fs/gs/rep and opcodes */
    }
    opc = b;
    if ( opc == 0x0f )
    {
        if ( !take(&c, 1, &b, false) )
            return false;
        opc = b;
        two_byte = true;
    }

    byte_op = false;
    if ( !two_byte )
    {
        switch ( opc )
        {
        case 0x88: byte_op = true; /* fall through */
        case 0x89: dc->op = OP_MOV; break;
        case 0xc6: byte_op = true; /* fall through */
        case 0xc7: dc->op = OP_MOV; dc->src_is_imm = true; break;
        case 0x86: byte_op = true; /* fall through */
        case 0x87: dc->op = OP_XCHG; break;
        case 0x08: byte_op = true; /* fall through */
        case 0x09: dc->op = OP_OR; break;
        case 0x20: byte_op = true; /* fall through */
        case 0x21: dc->op = OP_AND; break;
        case 0x30: byte_op = true; /* fall through */
        case 0x31: dc->op = OP_XOR; break;
        case 0x80: byte_op = true; /* fall through */
        case 0x81: case 0x83: dc->src_is_imm = true; break;
        default: return false;
        }
    }
    else
    {
        switch ( opc )
        {
        case 0xb0: byte_op = true; /* fall through */
        case 0xb1: dc->op = OP_CMPXCHG; break;
        case 0xc7: dc->op = OP_CMPXCHG_WIDE; break;
        case 0xab: dc->op = OP_BTS; break;
        case 0xb3: dc->op = OP_BTR; break;
        case 0xbb: dc->op = OP_BTC; break;
        case 0xba: dc->src_is_imm = true; break;
        default: return false;
        }
    }

    if ( byte_op )
        dc->size = 1;
    else if ( dc->rex & 8 )
        dc->size = 8;
    else
        dc->size = opsize16 ? 2 : 4;

    if ( !decode_modrm(&c, r, dc, &rip_rel) )
        return false;
    group = dc->reg & 7;

    /* Opcodes whose ModRM reg field selects the operation. */
    if ( !two_byte && (opc == 0xc6 || opc == 0xc7) )
    {
        if ( group != 0 )
            return false;
        imm_bytes = opc == 0xc6 ? 1 : (dc->size == 2 ? 2 : 4);
    }
    else if ( !two_byte && (opc == 0x80 || opc == 0x81 || opc == 0x83) )
    {
        static const int ops[8] = { -1, OP_OR, -1, -1, OP_AND, -1, OP_XOR, -1 };

        if ( ops[group] < 0 )
            return false;
        dc->op = ops[group];
        imm_bytes = (opc == 0x81) ? (dc->size == 2 ? 2 : 4) : 1;
    }
    else if ( two_byte && opc == 0xba )
    {
        if ( group < 5 )
            return false;               /* bt (4) does not write */
        dc->op = group == 5 ? OP_BTS : group == 6 ? OP_BTR : OP_BTC;
        imm_bytes = 1;
    }
    else if ( two_byte && opc == 0xc7 )
    {
        if ( group != 1 )
            return false;
        dc->size = (dc->rex & 8) ? 16 : 8;
    }

    if ( imm_bytes )
    {
        /* Immediates are sign-extended, except bt's bit number. */
        if ( !take(&c, imm_bytes, &imm, !(two_byte && opc == 0xba)) )
            return false;
        dc->imm = imm & size_mask(dc->size > 8 ? 8 : dc->size);
    }
    dc->len = c.pos;
    if ( rip_rel )
        dc->ea += r->rip + dc->len;
    if ( addr32 )
        dc->ea &= 0xffffffffUL;
    return true;
}

/* ---- Execution ---------------------------------------------------------- */

static enum pte_emul_result access_result(int rc)
{
    return rc == -EAGAIN ? PTE_EMUL_RETRY : PTE_EMUL_REFUSED;
}

static enum pte_emul_result exec_wide(struct cpu_regs *r,
                                      const struct decoded *dc,
                                      const struct pte_emul_ops *ops,
                                      void *ctx)
{
    uint64_t old[2], new[2];
    int rc;

    if ( dc->ea & (dc->size - 1) )
        return PTE_EMUL_REFUSED;        /* the CPU would #GP */
    if ( dc->size == 16 )
    {
        old[0] = r->rax; old[1] = r->rdx;
        new[0] = r->rbx; new[1] = r->rcx;
    }
    else
    {
        old[0] = (r->rax & 0xffffffffUL) | (r->rdx << 32);
        new[0] = (r->rbx & 0xffffffffUL) | (r->rcx << 32);
    }
    rc = ops->cmpxchg(ctx, dc->ea, old, new, dc->size);
    if ( rc == 0 )
    {
        r->rflags |= FL_ZF;
        return PTE_EMUL_DONE;
    }
    if ( rc != -EAGAIN )
        return PTE_EMUL_REFUSED;
    /* Compare failed: the accumulator pair gets what memory holds. */
    if ( dc->size == 16 )
    {
        r->rax = old[0];
        r->rdx = old[1];
    }
    else
    {
        r->rax = old[0] & 0xffffffffUL;
        r->rdx = old[0] >> 32;
    }
    r->rflags &= ~FL_ZF;
    return PTE_EMUL_DONE;
}

static enum pte_emul_result exec(struct cpu_regs *r, const struct decoded *dc,
                                 const struct pte_emul_ops *ops, void *ctx)
{
    unsigned int size = dc->size;
    uint64_t m = size_mask(size);
    uint64_t src = dc->src_is_imm ? dc->imm : reg_read(r, dc->reg, size, dc->rex);
    unsigned long ea = dc->ea;
    unsigned int bit = 0;

    if ( dc->op == OP_CMPXCHG_WIDE )
        return exec_wide(r, dc, ops, ctx);

    if ( dc->op == OP_BTS || dc->op == OP_BTR || dc->op == OP_BTC )
    {
        unsigned int bits = size * 8;

        if ( dc->src_is_imm )
            bit = src & (bits - 1);
        else
        {
            /* A register bit offset may reach outside the operand. */
            int64_t off = (int64_t)(size == 8 ? src :
                                    size == 4 ? (uint64_t)(int64_t)(int32_t)src :
                                    (uint64_t)(int64_t)(int16_t)src);

            ea += (off >> (bits == 64 ? 6 : bits == 32 ? 5 : 4)) * (int64_t)size;
            bit = (uint64_t)off & (bits - 1);
        }
    }

    for ( unsigned int attempt = 0; attempt < MAX_RETRIES; attempt++ )
    {
        uint64_t cur = 0, next = 0, seen;
        unsigned long fl_mask = 0, fl = 0;
        int rc;

        if ( ops->read(ctx, ea, &cur, size) )
            return PTE_EMUL_REFUSED;
        cur &= m;

        switch ( dc->op )
        {
        case OP_MOV:
            next = src;
            break;
        case OP_XCHG:
            next = src;
            break;
        case OP_OR:
        case OP_AND:
        case OP_XOR:
            next = dc->op == OP_OR ? (cur | src) :
                   dc->op == OP_AND ? (cur & src) : (cur ^ src);
            fl_mask = FL_ARITH;
            fl = logic_flags(next, size);
            break;
        case OP_BTS:
        case OP_BTR:
        case OP_BTC:
            next = dc->op == OP_BTS ? (cur | (1UL << bit)) :
                   dc->op == OP_BTR ? (cur & ~(1UL << bit)) :
                   (cur ^ (1UL << bit));
            fl_mask = FL_CF;
            fl = (cur >> bit) & 1 ? FL_CF : 0;
            break;
        case OP_CMPXCHG:
        {
            uint64_t acc = reg_read(r, 0, size, dc->rex);

            if ( acc != cur )
            {
                /* No store; the accumulator learns the memory value. */
                reg_write(r, 0, size, dc->rex, cur);
                r->rflags = set_flags(r->rflags, FL_ARITH,
                                      sub_flags(acc, cur, size));
                return PTE_EMUL_DONE;
            }
            next = src;
            fl_mask = FL_ARITH;
            fl = sub_flags(acc, cur, size);
            break;
        }
        default:
            return PTE_EMUL_UNHANDLED;
        }
        next &= m;

        seen = cur;
        rc = ops->cmpxchg(ctx, ea, &seen, &next, size);
        if ( rc == -EAGAIN )
            continue;                   /* memory moved under us */
        if ( rc )
            return access_result(rc);

        if ( dc->op == OP_XCHG )
            reg_write(r, dc->reg, size, dc->rex, cur);
        r->rflags = set_flags(r->rflags, fl_mask, fl);
        return PTE_EMUL_DONE;
    }
    return PTE_EMUL_RETRY;
}

enum pte_emul_result pte_emulate(struct cpu_regs *regs, const uint8_t *insn,
                                 unsigned int len,
                                 const struct pte_emul_ops *ops, void *ctx)
{
    struct decoded dc;
    enum pte_emul_result res;

    if ( !decode(regs, insn, len, &dc) )
        return PTE_EMUL_UNHANDLED;
    res = exec(regs, &dc, ops, ctx);
    if ( res == PTE_EMUL_DONE )
        regs->rip += dc.len;
    return res;
}
