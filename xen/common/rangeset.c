/*
 * Rangesets (xen/rangeset.h): a sorted array of disjoint, non-adjacent
 * inclusive ranges.  Sets hold a few dozen ranges at most, so every
 * operation is a linear walk; no allocation, so no operation can fail
 * half done.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/rangeset.h>

void rangeset_clear(struct rangeset *rs)
{
    rs->nr = 0;
}

int rangeset_add(struct rangeset *rs, unsigned long s, unsigned long e)
{
    unsigned int i, j, n;

    if ( s > e )
        return -EINVAL;
    /* First range that ends at or after s - 1 (touching counts). */
    for ( i = 0; i < rs->nr; i++ )
        if ( rs->r[i].e >= s || rs->r[i].e + 1 == s )
            break;
    /* Ranges i .. j-1 overlap or touch [s, e]: they merge into one. */
    for ( j = i; j < rs->nr; j++ )
        if ( rs->r[j].s > e && rs->r[j].s - 1 != e )
            break;
    if ( j == i )
    {
        if ( rs->nr == RANGESET_MAX )
            return -ENOSPC;
        memmove(&rs->r[i + 1], &rs->r[i], (rs->nr - i) * sizeof(rs->r[0]));
        rs->r[i].s = s;
        rs->r[i].e = e;
        rs->nr++;
        return 0;
    }
    if ( rs->r[i].s < s )
        s = rs->r[i].s;
    if ( rs->r[j - 1].e > e )
        e = rs->r[j - 1].e;
    rs->r[i].s = s;
    rs->r[i].e = e;
    n = j - i - 1;                      /* ranges swallowed */
    memmove(&rs->r[i + 1], &rs->r[j], (rs->nr - j) * sizeof(rs->r[0]));
    rs->nr -= n;
    return 0;
}

int rangeset_remove(struct rangeset *rs, unsigned long s, unsigned long e)
{
    unsigned int i;

    if ( s > e )
        return -EINVAL;
    /* A removal strictly inside one range splits it: needs a free slot,
     * checked before anything changes. */
    for ( i = 0; i < rs->nr; i++ )
        if ( rs->r[i].s < s && rs->r[i].e > e && rs->nr == RANGESET_MAX )
            return -ENOSPC;
    for ( i = 0; i < rs->nr; )
    {
        unsigned long rs_s = rs->r[i].s, rs_e = rs->r[i].e;

        if ( rs_e < s || rs_s > e )
        {
            i++;
            continue;
        }
        if ( rs_s < s && rs_e > e )
        {
            memmove(&rs->r[i + 1], &rs->r[i], (rs->nr - i) * sizeof(rs->r[0]));
            rs->nr++;
            rs->r[i].e = s - 1;
            rs->r[i + 1].s = e + 1;
            return 0;
        }
        if ( rs_s < s )
            rs->r[i++].e = s - 1;
        else if ( rs_e > e )
            rs->r[i++].s = e + 1;
        else
        {
            memmove(&rs->r[i], &rs->r[i + 1],
                    (rs->nr - i - 1) * sizeof(rs->r[0]));
            rs->nr--;
        }
    }
    return 0;
}

bool rangeset_contains(const struct rangeset *rs, unsigned long s,
                       unsigned long e)
{
    if ( s > e )
        return false;
    for ( unsigned int i = 0; i < rs->nr; i++ )
        if ( rs->r[i].s <= s && e <= rs->r[i].e )
            return true;
    return false;
}

bool rangeset_overlaps(const struct rangeset *rs, unsigned long s,
                       unsigned long e)
{
    for ( unsigned int i = 0; i < rs->nr; i++ )
        if ( rs->r[i].s <= e && s <= rs->r[i].e )
            return true;
    return false;
}
