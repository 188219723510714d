/* What the shim asm/ headers refer to: the host "machine" each harness
 * sets up (frame table, RAM buffer) and the calling thread's CPU. */
#include <xen/types.h>
#include <asm/mm.h>
#include <asm/percpu.h>

struct page_info *host_frame_table;
unsigned char *host_ram;
__thread struct cpu_info host_cpu_info;
