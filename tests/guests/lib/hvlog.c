/*
 * Searching the hypervisor's log through dom0_op readlog (hvlog.h).
 */
#include "guest.h"
#include "hvlog.h"
#include "public/dom0_op.h"

static struct xen_dom0_op logop;

static unsigned long hex_after(const char *p)
{
    unsigned long n = 0;

    if (p[0] == '0' && p[1] == 'x')
        p += 2;
    for (; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
        n = n * 16 + (*p <= '9' ? *p - '0' : *p - 'a' + 10);
    return n;
}

int hvlog_find(const char *needle, unsigned long *num, char *buf, uint32_t size)
{
    uint64_t seq = 0;

    for (;;) {
        const char *p;

        memset(&logop, 0, sizeof(logop));
        logop.cmd = XEN_DOM0_readlog;
        logop.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
        logop.u.readlog.start_seq = seq;
        logop.u.readlog.buffer = HC_PTR(buf);
        logop.u.readlog.size = size - 1;
        if (hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&logop)) != 0)
            return 0;
        buf[logop.u.readlog.nr_bytes] = 0;
        /* The buffer holds whole lines; a match cannot straddle two reads. */
        if ((p = strstr(buf, needle)) != NULL) {
            if (num)
                *num = hex_after(p + strlen(needle));
            return 1;
        }
        if (logop.u.readlog.next_seq == seq || logop.u.readlog.next_seq >= logop.u.readlog.head_seq)
            return 0;
        seq = logop.u.readlog.next_seq;
    }
}
