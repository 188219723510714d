/* Tests for xen/common/domid.c: a new domain's id is the first free one
 * after the last handed out (round robin), wrapping round below the
 * reserved ids and never 0; a full table is an answer of its own.  The
 * "taken" set is a bitmap here; the hypervisor asks its domain list. */
#include <stdio.h>
#include <string.h>
#include "xen_api.h"
#include <xen/domid.h>
#include "check.h"
#include "tests.h"

#define LIMIT 0x7FF0U                   /* DOMID_FIRST_RESERVED */

static unsigned char taken[LIMIT];
static unsigned int asked;

static bool is_taken(domid_t id, void *arg)
{
    (void)arg;
    asked++;
    if ( id == 0 || id >= LIMIT )
        CHECK_FAIL("asked about id %u, which is never a candidate", id);
    return id < LIMIT && taken[id];
}

/* Create COUNT domains the way dom0_createdomain does, from LAST on. */
static domid_t create(domid_t *last, domid_t limit)
{
    domid_t id = domid_pick(*last, limit, is_taken, NULL);

    if ( id < limit )
    {
        taken[id] = 1;
        *last = id;
    }
    return id;
}

static void test_domid_round_robin(void)
{
    domid_t last = 0;

    case_begin("domid/round-robin");
    memset(taken, 0, sizeof(taken));
    /* A fresh host: 1, 2, 3. */
    CHECK_EQ(create(&last, LIMIT), 1);
    CHECK_EQ(create(&last, LIMIT), 2);
    CHECK_EQ(create(&last, LIMIT), 3);
    /* Destroying 2 and 3 does not make the next one 2 (the lowest free
     * id): it is the one after the last handed out. */
    taken[2] = taken[3] = 0;
    CHECK_EQ(create(&last, LIMIT), 4);
    /* A domain saved and restored at once: a new id, not its old one. */
    taken[4] = 0;
    CHECK_EQ(create(&last, LIMIT), 5);
    case_end();
}

static void test_domid_skips_live(void)
{
    domid_t last = 0;

    case_begin("domid/skips-live-ids");
    memset(taken, 0, sizeof(taken));
    taken[1] = taken[2] = taken[4] = 1;     /* e.g. created with an id */
    CHECK_EQ(create(&last, LIMIT), 3);
    CHECK_EQ(create(&last, LIMIT), 5);
    /* A dying domain still holds its id (the caller counts it). */
    taken[6] = 1;
    CHECK_EQ(create(&last, LIMIT), 7);
    case_end();
}

static void test_domid_wraps(void)
{
    domid_t last = LIMIT - 3;

    case_begin("domid/wraps-below-reserved");
    memset(taken, 0, sizeof(taken));
    taken[1] = 1;
    CHECK_EQ(create(&last, LIMIT), LIMIT - 2);
    CHECK_EQ(create(&last, LIMIT), LIMIT - 1);      /* the last ordinary id */
    /* Then round to the start, past 0 (dom0's) and the live 1. */
    CHECK_EQ(create(&last, LIMIT), 2);
    /* A last id out of range (a fresh start, or garbage) starts at 1. */
    memset(taken, 0, sizeof(taken));
    CHECK_EQ(domid_pick(0, LIMIT, is_taken, NULL), 1);
    CHECK_EQ(domid_pick(LIMIT, LIMIT, is_taken, NULL), 1);
    CHECK_EQ(domid_pick(0xFFFF, LIMIT, is_taken, NULL), 1);
    case_end();
}

static void test_domid_full(void)
{
    domid_t last = 100, id;

    case_begin("domid/full-table");
    for ( id = 1; id < LIMIT; id++ )
        taken[id] = 1;
    /* Every ordinary id taken: the answer is LIMIT (the hypervisor's
     * -ENOSPC), after asking about each id exactly once. */
    asked = 0;
    CHECK_EQ(domid_pick(last, LIMIT, is_taken, NULL), LIMIT);
    CHECK_EQ(asked, LIMIT - 1);
    /* The one id freed is found, wherever it is relative to LAST. */
    taken[last] = 0;
    CHECK_EQ(domid_pick(last, LIMIT, is_taken, NULL), last);
    taken[last] = 1;
    taken[7] = 0;
    CHECK_EQ(domid_pick(last, LIMIT, is_taken, NULL), 7);
    /* Degenerate limits: nothing to hand out, nothing asked. */
    asked = 0;
    CHECK_EQ(domid_pick(0, 1, is_taken, NULL), 1);
    CHECK_EQ(domid_pick(0, 0, is_taken, NULL), 0);
    CHECK_EQ(asked, 0);
    /* A small table: 1 and 2, round and round. */
    memset(taken, 0, sizeof(taken));
    last = 0;
    CHECK_EQ(create(&last, 3), 1);
    CHECK_EQ(create(&last, 3), 2);
    CHECK_EQ(create(&last, 3), 3);                  /* full */
    taken[1] = 0;
    CHECK_EQ(create(&last, 3), 1);
    case_end();
}

void test_domid(void)
{
    test_domid_round_robin();
    test_domid_skips_live();
    test_domid_wraps();
    test_domid_full();
}
