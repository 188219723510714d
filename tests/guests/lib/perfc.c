/*
 * Reading the hypervisor's performance counters (perfc.h).
 */
#include "guest.h"
#include "perfc.h"
#include "public/dom0_op.h"

static struct xen_dom0_op op;
static struct xen_dom0_perfc_name names[GUEST_PERFC_MAX];
static struct xen_dom0_perfc_value values[GUEST_PERFC_MAX];

static long perfc_query(uint32_t query, void *buf)
{
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOM0_getperfcounters;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    op.u.getperfcounters.query = query;
    op.u.getperfcounters.max_entries = GUEST_PERFC_MAX;
    op.u.getperfcounters.buffer = HC_PTR(buf);
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op));
}

int perfc_id(const char *name, long *rc)
{
    long r = perfc_query(XEN_DOM0_PERFC_QUERY_NAMES, names);

    if (rc)
        *rc = r;
    for (unsigned int i = 0; r == 0 && i < op.u.getperfcounters.nr_entries; i++)
        if (!strcmp(names[i].name, name))
            return (int)names[i].id;
    return -1;
}

uint64_t perfc_value(int id)
{
    if (id < 0 || id >= GUEST_PERFC_MAX)
        return 0;
    if (perfc_query(XEN_DOM0_PERFC_QUERY_VALUES, values) != 0)
        return 0;
    return values[id].value;
}
