/* What the shim asm/ headers refer to: the host "machine" (frame table,
 * RAM buffer) and the calling thread's CPU. */
#include <stdlib.h>
#include <sys/mman.h>

#include <xen/types.h>
#include <xen/mm.h>
#include <asm/mm.h>
#include <asm/percpu.h>

#include "console.h"

struct page_info *host_frame_table;
unsigned char *host_ram;
__thread struct cpu_info host_cpu_info;

void host_machine_alloc(unsigned long nr_frames)
{
    void *ram;

    host_frame_table = calloc(nr_frames, sizeof(struct page_info));
    /* NORESERVE: big machines cost only the frames a case touches. */
    ram = mmap(NULL, nr_frames << PAGE_SHIFT, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if ( host_frame_table == NULL || ram == MAP_FAILED )
        FAIL("a machine of %lu frames: out of host memory", nr_frames);
    host_ram = ram;
}
