/*
 * abi_layout.c - pins include/public/ to the Xen guest ABI as Linux 6.1
 * sees it, and the dom0_op interface to docs/dom0_op.md.
 *
 * Every size, member offset, member size and constant in abi_facts.h was
 * measured from Linux 6.1's own interface headers; dom0_op_facts.h is
 * copied from the tables of docs/dom0_op.md.  Each one is checked
 * twice: at compile time (_Static_assert, so a wrong header cannot even
 * build) and at run time, which prints one PASS/FAIL line per structure and
 * per header's constants so a suite can count them.
 *
 * Build knobs, used by tests/suites/15-abi-headers.sh to prove the run-time
 * checker really fails:
 *   -DABI_NO_STATIC_ASSERTS   skip the compile-time half
 *   -DABI_INJECT_MISMATCH     corrupt one expected value before checking
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "public/xen.h"
#include "public/arch-x86_64.h"
#include "public/guest_handle.h"
#include "public/callback.h"
#include "public/elfnote.h"
#include "public/event_channel.h"
#include "public/features.h"
#include "public/grant_table.h"
#include "public/memory.h"
#include "public/nmi.h"
#include "public/physdev.h"
#include "public/platform.h"
#include "public/pmu.h"
#include "public/sched.h"
#include "public/vcpu.h"
#include "public/version.h"
#include "public/xen-mca.h"
#include "public/io/console.h"
#include "public/io/xenbus.h"
#include "public/io/xs_wire.h"
#include "public/dom0_op.h"

#define member_size(type, member) sizeof(((type *)0)->member)

/* ---- Compile-time half ---- */

#ifndef ABI_NO_STATIC_ASSERTS
#define ABI_SIZE(type, bytes)                                                \
    _Static_assert(sizeof(type) == (bytes), "sizeof " #type);
#define ABI_FIELD(type, member, off, bytes)                                  \
    _Static_assert(offsetof(type, member) == (off), #type "." #member);     \
    _Static_assert(member_size(type, member) == (bytes),                     \
                   "sizeof " #type "." #member);
#define ABI_FLEX(type, member, off)                                          \
    _Static_assert(offsetof(type, member) == (off), #type "." #member);
#define ABI_NUM(header, name, value)                                         \
    _Static_assert((unsigned long long)(name) == (unsigned long long)(value), \
                   header ": " #name);
#define ABI_STR(header, name, value) /* strings are checked at run time */
#include "abi_facts.h"
#include "dom0_op_facts.h"
#undef ABI_SIZE
#undef ABI_FIELD
#undef ABI_FLEX
#undef ABI_NUM
#undef ABI_STR
#endif

/* ---- Run-time half ---- */

/* One measured fact: `group` is what a PASS/FAIL line is reported for. */
struct fact {
    const char *group;
    const char *what;
    unsigned long long got;
    unsigned long long want;
    const char *got_str;  /* string constants only */
    const char *want_str;
    const char *source;   /* where `want` comes from */
};

static struct fact facts[] = {
#define ABI_SIZE(type, bytes)                                                \
    { #type, "sizeof", sizeof(type), (bytes), NULL, NULL, ABI_SOURCE },
#define ABI_FIELD(type, member, off, bytes)                                  \
    { #type, "offsetof " #member, offsetof(type, member), (off), NULL, NULL, \
      ABI_SOURCE },                                                          \
    { #type, "sizeof " #member, member_size(type, member), (bytes), NULL,    \
      NULL, ABI_SOURCE },
#define ABI_FLEX(type, member, off)                                          \
    { #type, "offsetof " #member, offsetof(type, member), (off), NULL, NULL, \
      ABI_SOURCE },
#define ABI_NUM(header, name, value)                                         \
    { "numbers in " header, #name, (unsigned long long)(name),               \
      (unsigned long long)(value), NULL, NULL, ABI_SOURCE },
#define ABI_STR(header, name, value)                                         \
    { "numbers in " header, #name, 0, 0, (name), (value), ABI_SOURCE },
/* Each fact names its source when it fails (expanded per line). */
#define ABI_SOURCE "Linux 6.1"
#include "abi_facts.h"
#undef ABI_SOURCE
#define ABI_SOURCE "docs/dom0_op.md"
#include "dom0_op_facts.h"
};

#define NFACTS (sizeof(facts) / sizeof(facts[0]))

static int fact_holds(const struct fact *f)
{
    if ( f->want_str )
        return strcmp(f->got_str, f->want_str) == 0;
    return f->got == f->want;
}

static void report_mismatch(const struct fact *f)
{
    if ( f->want_str )
        printf("FAIL: abi %s: %s is \"%s\", %s has \"%s\"\n",
               f->group, f->what, f->got_str, f->source, f->want_str);
    else
        printf("FAIL: abi %s: %s is %#llx, %s has %#llx\n",
               f->group, f->what, f->got, f->source, f->want);
}

/*
 * Facts of one group are adjacent in the table, except constants, whose
 * groups interleave when a header is included by another; so a group's
 * line is printed when its first fact is met, scanning the whole table.
 */
static int check_group(size_t first)
{
    const char *group = facts[first].group;
    size_t i, count = 0, bad = 0;

    for ( i = first; i < NFACTS; i++ )
    {
        if ( strcmp(facts[i].group, group) != 0 )
            continue;
        count++;
        if ( !fact_holds(&facts[i]) )
        {
            report_mismatch(&facts[i]);
            bad++;
        }
    }
    if ( bad == 0 )
        printf("PASS: abi %s (%zu facts)\n", group, count);
    return bad == 0;
}

static int group_seen_before(size_t idx)
{
    size_t i;

    for ( i = 0; i < idx; i++ )
        if ( strcmp(facts[i].group, facts[idx].group) == 0 )
            return 1;
    return 0;
}

int main(void)
{
    size_t i;
    int failed_groups = 0;

#ifdef ABI_INJECT_MISMATCH
    facts[0].want += 8;
#endif

    for ( i = 0; i < NFACTS; i++ )
    {
        if ( group_seen_before(i) )
            continue;
        if ( !check_group(i) )
            failed_groups++;
    }
    fprintf(stderr, "abi_layout: %zu facts checked, %d group(s) failed\n",
            NFACTS, failed_groups);
    return failed_groups ? 1 : 0;
}
