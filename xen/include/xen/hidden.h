/* Included first in every hypervisor C file (see xen/Makefile).  The image
 * runs at XEN_VIRT_START, outside the +/-2 GiB of the "kernel" code model, so
 * it is compiled position-independent; hidden visibility makes every symbol
 * reference a direct RIP-relative one instead of a GOT load. */
#pragma GCC visibility push(hidden)
