/*
 * The Xen ELF notes of a test kernel (owner "Xen", PT_NOTE segment).  The
 * values are the test-kernel contract in docs/guest-tests.md: loaded by
 * p_paddr at VIRT_BASE, entry _start, hypercalls by SYSCALL (no
 * HYPERCALL_PAGE note), page tables updated through hypercalls.
 */
#include "public/elfnote.h"

#define VIRT_BASE 0xffffffff80000000

/* name "Xen\0" (4 bytes), then the descriptor, each padded to 4. */
.macro xen_note type
    .balign 4
    .long   2f - 1f         /* namesz */
    .long   4f - 3f         /* descsz */
    .long   \type
1:  .asciz  "Xen"
2:  .balign 4
3:
.endm
.macro xen_note_end
4:  .balign 4
.endm

    .section .note.xen, "a", @note

    xen_note XEN_ELFNOTE_GUEST_OS
    .asciz  "ourtest"
    xen_note_end

    xen_note XEN_ELFNOTE_GUEST_VERSION
    .asciz  "1"
    xen_note_end

    xen_note XEN_ELFNOTE_XEN_VERSION
    .asciz  "xen-3.0"
    xen_note_end

    xen_note XEN_ELFNOTE_LOADER
    .asciz  "generic"
    xen_note_end

    xen_note XEN_ELFNOTE_VIRT_BASE
    .quad   VIRT_BASE
    xen_note_end

    xen_note XEN_ELFNOTE_PADDR_OFFSET
    .quad   0
    xen_note_end

    xen_note XEN_ELFNOTE_ENTRY
    .quad   _start
    xen_note_end

    xen_note XEN_ELFNOTE_FEATURES
    .asciz  "!writable_page_tables"
    xen_note_end

    .section .note.GNU-stack, "", @progbits
