/*
 * The machine-to-phys (M2P) table: one 8-byte entry per machine frame,
 * saying which guest-physical frame of its owner it backs.
 *
 * The hypervisor writes it through the direct map; guests read it through
 * a read-only, user-accessible alias at MACH2PHYS_START (L4 slot 256),
 * which every validated guest L4 receives with the other hypervisor slots.
 * The table is made of 2 MiB chunks mapped with 2 MiB pages, so the alias
 * needs one L3 and one L2 per GiB.  Frames nobody owns read ~0 (invalid).
 *
 * m2p_init also gives every hypervisor L4 slot an L3 page now, so that a
 * mapping the hypervisor adds later (ioremap, say) is visible from guest
 * address spaces, whose L4s hold copies of these slot entries.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv-mm.h>

#define M2P_CHUNK_ORDER   9                           /* 2 MiB */
#define M2P_CHUNK_ENTRIES ((PAGE_SIZE << M2P_CHUNK_ORDER) / sizeof(unsigned long))

extern mfn_t max_mfn;               /* mm-setup.c: frames 0..max_mfn-1 */

static unsigned long **m2p_chunks;  /* hypervisor (direct-map) pointers */
static unsigned long m2p_nr_chunks;
static unsigned long m2p_frames;    /* entries the table holds */

unsigned long m2p_nr_frames(void)
{
    return m2p_frames;
}

unsigned long m2p_guest_va_end(void)
{
    return MACH2PHYS_START + m2p_nr_chunks * (PAGE_SIZE << M2P_CHUNK_ORDER);
}

mfn_t m2p_chunk_mfn(unsigned long i)
{
    if ( i >= m2p_nr_chunks )
        return INVALID_MFN;
    return virt_to_maddr(m2p_chunks[i]) >> PAGE_SHIFT;
}

void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn)
{
    if ( mfn >= m2p_frames )
        return;         /* before m2p_init, or beyond RAM */
    __atomic_store_n(&m2p_chunks[mfn / M2P_CHUNK_ENTRIES][mfn % M2P_CHUNK_ENTRIES],
                     pfn, __ATOMIC_RELEASE);
}

unsigned long get_gpfn_from_mfn(mfn_t mfn)
{
    if ( mfn >= m2p_frames )
        return M2P_INVALID_ENTRY;
    return __atomic_load_n(&m2p_chunks[mfn / M2P_CHUNK_ENTRIES][mfn % M2P_CHUNK_ENTRIES],
                           __ATOMIC_ACQUIRE);
}

pte_t pv_hypervisor_l4e(unsigned int slot)
{
    if ( !l4_slot_is_hypervisor(slot) )
        return 0;
    return idle_pg_table[slot];
}

static pte_t *zeroed_table_page(void)
{
    pte_t *t = alloc_xenheap_page();

    if ( t == NULL )
        panic("m2p: out of memory for page tables");
    memset(t, 0, PAGE_SIZE);
    return t;
}

/* Read-only for everyone, readable from the guest's ring 3. */
#define M2P_TABLE_FLAGS (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

static void map_m2p_for_guests(void)
{
    pte_t *l3 = zeroed_table_page();

    for ( unsigned long i = 0; i < m2p_nr_chunks; i++ )
    {
        unsigned long va = MACH2PHYS_START + i * (PAGE_SIZE << M2P_CHUNK_ORDER);
        pte_t *l3e = &l3[PT_INDEX(va, L3_SHIFT)];
        pte_t *l2;

        if ( !(*l3e & _PAGE_PRESENT) )
            *l3e = virt_to_maddr(zeroed_table_page()) | M2P_TABLE_FLAGS;
        l2 = maddr_to_virt(*l3e & PTE_ADDR_MASK);
        l2[PT_INDEX(va, L2_SHIFT)] = virt_to_maddr(m2p_chunks[i]) |
            M2P_TABLE_FLAGS | _PAGE_PSE | (pv_nx_supported ? _PAGE_NX : 0);
    }
    idle_pg_table[L4_M2P_SLOT] = virt_to_maddr(l3) | M2P_TABLE_FLAGS;
}

static void populate_hypervisor_slots(void)
{
    for ( unsigned int s = L4_HV_FIRST_SLOT; s <= L4_HV_LAST_SLOT; s++ )
        if ( s != L4_M2P_SLOT && !(idle_pg_table[s] & _PAGE_PRESENT) )
            idle_pg_table[s] = virt_to_maddr(zeroed_table_page()) |
                _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
}

void m2p_init(void)
{
    uint32_t a, b, c, d;
    unsigned long bytes;

    uint32_t max_ext;

    cpuid(0x80000000, &max_ext, &b, &c, &d);
    pv_nx_supported = false;
    if ( max_ext >= 0x80000001 )
    {
        cpuid(0x80000001, &a, &b, &c, &d);
        pv_nx_supported = d & (1u << 20);
    }
    if ( max_ext >= 0x80000008 )
    {
        cpuid(0x80000008, &a, &b, &c, &d);
        if ( (a & 0xff) >= 32 && (a & 0xff) <= 52 )
            pv_paddr_bits = a & 0xff;
    }

    m2p_frames = max_mfn;
    bytes = m2p_frames * sizeof(unsigned long);
    if ( bytes > MACH2PHYS_END - MACH2PHYS_START )
        panic("m2p: %lu frames do not fit the M2P window", m2p_frames);
    m2p_nr_chunks = DIV_ROUND_UP(bytes, PAGE_SIZE << M2P_CHUNK_ORDER);
    m2p_chunks = xzalloc_array(unsigned long *, m2p_nr_chunks);
    if ( m2p_chunks == NULL )
        panic("m2p: out of memory");
    for ( unsigned long i = 0; i < m2p_nr_chunks; i++ )
    {
        m2p_chunks[i] = alloc_xenheap_pages(M2P_CHUNK_ORDER);
        if ( m2p_chunks[i] == NULL )
            panic("m2p: out of memory for chunk %lu of %lu", i, m2p_nr_chunks);
        memset(m2p_chunks[i], 0xff, PAGE_SIZE << M2P_CHUNK_ORDER);
    }
    map_m2p_for_guests();
    populate_hypervisor_slots();
    printk("M2P: %lu entries in %lu x 2 MiB at %#lx-%#lx (read-only for "
           "guests)\n", m2p_frames, m2p_nr_chunks, MACH2PHYS_START,
           m2p_guest_va_end());
}
