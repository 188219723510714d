/*
 * hcpage: a kernel that asks for a hypercall page (XEN_ELFNOTE_HYPERCALL_PAGE)
 * gets one filled by the domain builder, as older Linux kernels expect:
 * 32-byte stubs that load the number and SYSCALL, with the iret slot
 * pushing RAX and never returning.  Calls made through the page must work
 * like direct SYSCALLs.
 */
#include "guest.h"

/* The page itself, and the note pointing at it. */
__asm__(
    ".pushsection .text.hcpage, \"ax\"\n"
    ".balign 4096\n"
    ".globl hypercall_page\n"
    "hypercall_page: .skip 4096, 0\n"
    ".popsection\n"
    ".pushsection .note.xen, \"a\", @note\n"
    ".balign 4\n"
    ".long 4, 8, 2\n"               /* namesz, descsz, HYPERCALL_PAGE */
    ".asciz \"Xen\"\n"
    ".balign 4\n"
    ".quad hypercall_page\n"
    ".balign 4\n"
    ".popsection\n");

extern uint8_t hypercall_page[4096];

static long page_call2(unsigned int nr, unsigned long a1, unsigned long a2)
{
    long ret;
    register unsigned long rdi __asm__("rdi") = a1;
    register unsigned long rsi __asm__("rsi") = a2;

    __asm__ __volatile__("call *%[stub]"
                         : "=a"(ret), "+r"(rdi), "+r"(rsi)
                         : [stub] "r"(hypercall_page + nr * 32)
                         : "rdx", "r10", "r8", "memory", "cc");
    return ret;
}

void test_main(void)
{
    static const uint8_t xen_version_stub[] = {
        0x51, 0x41, 0x53, 0xb8, 17, 0, 0, 0, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3
    };
    static const uint8_t iret_stub[] = {
        0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0, 0x0f, 0x05
    };
    long direct = hv_xen_version(XENVER_version, NULL);
    long via_page = page_call2(__HYPERVISOR_xen_version, XENVER_version, 0);
    int stub_ok = 1, iret_ok = 1;

    for ( unsigned int i = 0; i < sizeof(xen_version_stub); i++ )
        stub_ok &= hypercall_page[17 * 32 + i] == xen_version_stub[i];
    for ( unsigned int i = 0; i < sizeof(iret_stub); i++ )
        iret_ok &= hypercall_page[23 * 32 + i] == iret_stub[i];

    CHECK(hypercall_page[0] == 0x51, "hypercall page was filled by the builder");
    CHECK(stub_ok, "xen_version stub bytes");
    CHECK(iret_ok, "iret stub pushes rax and does not return");
    CHECK_EQ(via_page, direct, "xen_version through the page equals a direct syscall");
    CHECK_EQ(page_call2(63, 0, 0), -ENOSYS, "unknown hypercall through the page is -ENOSYS");
}
