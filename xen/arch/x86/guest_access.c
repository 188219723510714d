/*
 * Guest memory access for hypercalls (see xen/guest_access.h).
 *
 * The copy is a "rep movsb" with an exception-table fixup: if a guest page
 * is missing or read-only the #PF lands in extable_fixup(), which resumes
 * at the fixup label with RCX holding the bytes not yet copied.
 *
 * These are the only places the hypervisor touches memory through a guest
 * virtual address, so with SMAP on they are the only stac/clac windows:
 * opened just around the string instruction, closed again on the normal
 * and the fixup path alike (the fixup jumps back inside the asm).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/guest_access.h>
#include <asm/config.h>
#include <asm/extable.h>
#include <asm/smap.h>

bool guest_range_ok(uint64_t va, size_t len)
{
    uint64_t end = va + len;

    if ( end < va )
        return false;                       /* wraps */
    if ( len == 0 )
        return true;
    /* Lower canonical half, or upper half above the hypervisor's area. */
    if ( end <= 0x0000800000000000UL )
        return true;
    return va >= HYPERVISOR_AREA_END;       /* end > va, cannot wrap */
}

/*
 * Returns the number of bytes NOT copied.  Whole quadwords first: under
 * emulation each string-instruction iteration is one memory access, so
 * "rep movsq" is eight times cheaper than "rep movsb" for bounce frames
 * and hypercall arguments.  A fault in the first loop leaves RCX counting
 * quadwords; the fixup converts it back to bytes.
 */
static size_t copy_raw(void *dst, const void *src, size_t len)
{
    size_t q = len / 8, r = len % 8;

    stac();
    __asm__ __volatile__(
        "1: rep movsq\n"
        "   mov %[r], %%rcx\n"
        "2: rep movsb\n"
        "3:\n"
        ".pushsection .fixup, \"ax\"\n"
        "4: lea (%[r], %%rcx, 8), %%rcx\n"
        "   jmp 3b\n"
        ".popsection\n"
        EXTABLE_ENTRY(1b, 4b)
        EXTABLE_ENTRY(2b, 3b)
        : "+c"(q), "+D"(dst), "+S"(src)
        : [r] "r"(r) : "memory");
    clac();
    return q;
}

static size_t set_raw(void *dst, size_t len)
{
    stac();
    __asm__ __volatile__(
        "1: rep stosb\n"
        "2:\n"
        EXTABLE_ENTRY(1b, 2b)
        : "+c"(len), "+D"(dst) : "a"(0) : "memory");
    clac();
    return len;
}

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
    if ( !guest_range_ok(guest_va, len) )
        return -EFAULT;
    return copy_raw(dst, (const void *)guest_va, len) ? -EFAULT : 0;
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
    if ( !guest_range_ok(guest_va, len) )
        return -EFAULT;
    return copy_raw((void *)guest_va, src, len) ? -EFAULT : 0;
}

int clear_guest(uint64_t guest_va, size_t len)
{
    if ( !guest_range_ok(guest_va, len) )
        return -EFAULT;
    return set_raw((void *)guest_va, len) ? -EFAULT : 0;
}

int copy_from_guest_index(void *dst, uint64_t guest_va, size_t i, size_t size)
{
    if ( size && i > ~(size_t)0 / size )
        return -EFAULT;
    if ( guest_va + i * size < guest_va )
        return -EFAULT;
    return copy_from_guest(dst, guest_va + i * size, size);
}

int copy_to_guest_index(uint64_t guest_va, size_t i, const void *src,
                        size_t size)
{
    if ( size && i > ~(size_t)0 / size )
        return -EFAULT;
    if ( guest_va + i * size < guest_va )
        return -EFAULT;
    return copy_to_guest(guest_va + i * size, src, size);
}
