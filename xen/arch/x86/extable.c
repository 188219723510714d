/* Exception fixup lookup (see asm/extable.h). */
#include <xen/lib.h>
#include <asm/irq.h>
#include <asm/extable.h>

extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

bool extable_fixup(struct cpu_regs *r)
{
    for ( const struct extable_entry *e = __start_ex_table;
          e < __stop_ex_table; e++ )
        if ( e->insn == r->rip )
        {
            r->rip = e->fixup;
            return true;
        }
    return false;
}
