/* The Xen half of the ELF reader: the Xen ELF notes, the legacy
 * __xen_guest string, and the rules (with Xen's defaults) that make an
 * ELF64 image a Xen PV kernel -- elf_xen_parse, which the hypervisor's
 * dom0 builder and libxc's domU builder both call, so they accept the same
 * kernels.  Every value from the file is hostile (see libelf.c). */

#include <xen/libelf.h>
#include <public/elfnote.h>
#include <public/features.h>
#include "libelf-env.h"
#include "libelf-private.h"

/* ---- Xen notes --------------------------------------------------------- */

/* XENFEAT_* names as FEATURES notes spell them (public/features.h). */
static const struct {
    const char *name;
    unsigned int bit;
} feature_names[] = {
    { "writable_page_tables",       XENFEAT_writable_page_tables },
    { "writable_descriptor_tables", XENFEAT_writable_descriptor_tables },
    { "auto_translated_physmap",    XENFEAT_auto_translated_physmap },
    { "supervisor_mode_kernel",     XENFEAT_supervisor_mode_kernel },
    { "pae_pgdir_above_4gb",        XENFEAT_pae_pgdir_above_4gb },
    { "mmu_pt_update_preserve_ad",  XENFEAT_mmu_pt_update_preserve_ad },
    { "highmem_assist",             XENFEAT_highmem_assist },
    { "gnttab_map_avail_bits",      XENFEAT_gnttab_map_avail_bits },
    { "hvm_callback_vector",        XENFEAT_hvm_callback_vector },
    { "hvm_safe_pvclock",           XENFEAT_hvm_safe_pvclock },
    { "hvm_pirqs",                  XENFEAT_hvm_pirqs },
    { "dom0",                       XENFEAT_dom0 },
    { "linux_rsdp_unrestricted",    XENFEAT_linux_rsdp_unrestricted },
};

int elf_xen_feature_bit(const char *name, size_t len)
{
    unsigned int i;

    for ( i = 0; i < LEN(feature_names); i++ )
        if ( strlen(feature_names[i].name) == len &&
             !memcmp(feature_names[i].name, name, len) )
            return feature_names[i].bit;
    return -1;
}

static int parse_features(struct elf_xen_notes *xn)
{
    const char *p = xn->features;

    while ( *p )
    {
        const char *tok = p;
        size_t len;
        bool required = false;
        int bit;

        while ( *p && *p != '|' )
            p++;
        len = p - tok;
        if ( *p == '|' )
            p++;
        if ( len && *tok == '!' )
        {
            required = true;
            tok++;
            len--;
        }
        if ( len == 0 )
            continue;
        bit = elf_xen_feature_bit(tok, len);
        if ( bit < 0 )
        {
            if ( required )
                return fail(&xn->err, -EOPNOTSUPP,
                            "FEATURES requires an unknown feature");
            continue;
        }
        xn->features_wanted |= 1u << bit;
        if ( required )
            xn->features_required |= 1u << bit;
    }
    return 0;
}

static int note_number(const struct elf_note *n, uint64_t *val,
                       const char **err)
{
    if ( n->descsz == 4 )
        *val = get_le32(n->desc);
    else if ( n->descsz == 8 )
        *val = get_le64(n->desc);
    else
        return fail(err, -EINVAL, "numeric Xen note not 4 or 8 bytes");
    return 0;
}

/* Copy a string note, which may or may not carry its NUL (Linux's
 * FEATURES is .ascii); stops at the first NUL. */
static int note_string(const struct elf_note *n, char *buf, size_t size,
                       const char **err)
{
    const char *s = n->desc;
    size_t len = 0;

    while ( len < n->descsz && s[len] )
        len++;
    if ( len >= size )
        return fail(err, -EINVAL, "Xen string note too long");
    memcpy(buf, s, len);
    buf[len] = '\0';
    return 0;
}

static int note_l1_mfn_valid(const struct elf_note *n,
                             struct elf_xen_notes *xn)
{
    const uint8_t *d = n->desc;

    if ( n->descsz == 8 )
    {
        xn->l1_mfn_valid_mask = get_le32(d);
        xn->l1_mfn_valid_value = get_le32(d + 4);
    }
    else if ( n->descsz == 16 )
    {
        xn->l1_mfn_valid_mask = get_le64(d);
        xn->l1_mfn_valid_value = get_le64(d + 8);
    }
    else
        return fail(&xn->err, -EINVAL, "L1_MFN_VALID not 8 or 16 bytes");
    return 0;
}

static bool is_xen_note(const struct elf_note *n)
{
    return n->namesz == sizeof(XEN_ELFNOTE_OWNER) &&
           !memcmp(n->name, XEN_ELFNOTE_OWNER, sizeof(XEN_ELFNOTE_OWNER));
}

static int collect_xen_note(void *ctx, const struct elf_note *n)
{
    struct elf_xen_notes *xn = ctx;
    const char **err = &xn->err;
    uint64_t *num = NULL;
    char *str = NULL;
    size_t str_size = ELF_XEN_STR_MAX;

    if ( !is_xen_note(n) || n->type == XEN_ELFNOTE_INFO ||
         n->type > XEN_ELFNOTE_MAX )
        return 0;
    if ( ELF_XEN_HAS(xn, n->type) )
        return fail(err, -EINVAL, "duplicate Xen note");
    xn->present |= 1u << n->type;

    switch ( n->type )
    {
    case XEN_ELFNOTE_ENTRY:          num = &xn->entry; break;
    case XEN_ELFNOTE_HYPERCALL_PAGE: num = &xn->hypercall_page; break;
    case XEN_ELFNOTE_VIRT_BASE:      num = &xn->virt_base; break;
    case XEN_ELFNOTE_PADDR_OFFSET:   num = &xn->paddr_offset; break;
    case XEN_ELFNOTE_HV_START_LOW:   num = &xn->hv_start_low; break;
    case XEN_ELFNOTE_SUSPEND_CANCEL: num = &xn->suspend_cancel; break;
    case XEN_ELFNOTE_INIT_P2M:       num = &xn->init_p2m; break;
    case XEN_ELFNOTE_MOD_START_PFN:  num = &xn->mod_start_pfn; break;
    case XEN_ELFNOTE_SUPPORTED_FEATURES: num = &xn->supported_features; break;
    case XEN_ELFNOTE_PHYS32_ENTRY:   num = &xn->phys32_entry; break;
    case XEN_ELFNOTE_XEN_VERSION:    str = xn->xen_version; break;
    case XEN_ELFNOTE_GUEST_OS:       str = xn->guest_os; break;
    case XEN_ELFNOTE_GUEST_VERSION:  str = xn->guest_version; break;
    case XEN_ELFNOTE_LOADER:         str = xn->loader; break;
    case XEN_ELFNOTE_PAE_MODE:       str = xn->pae_mode; break;
    case XEN_ELFNOTE_BSD_SYMTAB:     str = xn->bsd_symtab; break;
    case XEN_ELFNOTE_FEATURES:
        str = xn->features;
        str_size = sizeof(xn->features);
        break;
    case XEN_ELFNOTE_L1_MFN_VALID:
        return note_l1_mfn_valid(n, xn);
    }
    if ( num )
        return note_number(n, num, err);
    if ( str )
        return note_string(n, str, str_size, err);
    return 0;
}

int elf_xen_notes(const struct elf_image *img, struct elf_xen_notes *xn)
{
    int rc;

    bool found;

    memset(xn, 0, sizeof(*xn));
    /* As Xen: the segments' notes, or if they hold no Xen note (or there
     * is no PT_NOTE), the sections'. */
    rc = elf_walk_containers(img, false, collect_xen_note, xn, &xn->err, &found);
    if ( !rc && xn->present == 0 )
        rc = elf_walk_containers(img, true, collect_xen_note, xn, &xn->err,
                             &found);
    if ( rc )
        return rc;
    return parse_features(xn);
}

/* ---- The legacy __xen_guest string ------------------------------------ */

/* An unsigned number as C writes it: 0x hex, leading-0 octal, or decimal;
 * the whole of s[0, len) and no overflow. */
static int parse_number(const char *s, size_t len, uint64_t *val)
{
    unsigned int base = 10, digit;
    uint64_t v = 0;
    size_t i = 0;

    if ( len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') )
    {
        base = 16;
        i = 2;
    }
    else if ( len > 1 && s[0] == '0' )
        base = 8;
    if ( i == len )
        return -EINVAL;
    for ( ; i < len; i++ )
    {
        char c = s[i];

        if ( c >= '0' && c <= '9' )
            digit = c - '0';
        else if ( c >= 'a' && c <= 'f' )
            digit = c - 'a' + 10;
        else if ( c >= 'A' && c <= 'F' )
            digit = c - 'A' + 10;
        else
            return -EINVAL;
        if ( digit >= base || v > (UINT64_MAX - digit) / base )
            return -EINVAL;
        v = v * base + digit;
    }
    *val = v;
    return 0;
}

static bool key_is(const char *key, size_t len, const char *name)
{
    return strlen(name) == len && !memcmp(key, name, len);
}

/* Stores one KEY=VALUE item where the note it stands for would go. */
static int legacy_item(struct elf_xen_notes *xn, const char *key,
                       size_t klen, const char *val, size_t vlen,
                       uint64_t *hypercall_pfn)
{
    static const struct {
        const char *key;
        unsigned int type;
    } keys[] = {
        { "VIRT_ENTRY",       XEN_ELFNOTE_ENTRY },
        { "HYPERCALL_PAGE",   XEN_ELFNOTE_HYPERCALL_PAGE },
        { "VIRT_BASE",        XEN_ELFNOTE_VIRT_BASE },
        { "ELF_PADDR_OFFSET", XEN_ELFNOTE_PADDR_OFFSET },
        { "XEN_VER",          XEN_ELFNOTE_XEN_VERSION },
        { "GUEST_OS",         XEN_ELFNOTE_GUEST_OS },
        { "GUEST_VER",        XEN_ELFNOTE_GUEST_VERSION },
        { "LOADER",           XEN_ELFNOTE_LOADER },
        { "PAE",              XEN_ELFNOTE_PAE_MODE },
        { "FEATURES",         XEN_ELFNOTE_FEATURES },
        { "BSD_SYMTAB",       XEN_ELFNOTE_BSD_SYMTAB },
    };
    uint64_t *num = NULL;
    char *str = NULL;
    size_t str_size = ELF_XEN_STR_MAX;
    unsigned int i, type;

    for ( i = 0; i < LEN(keys); i++ )
        if ( key_is(key, klen, keys[i].key) )
            break;
    if ( i == LEN(keys) )
        return 0;                       /* unknown keys are ignored */
    type = keys[i].type;
    xn->present |= 1u << type;          /* a repeated key: the last wins */

    switch ( type )
    {
    case XEN_ELFNOTE_ENTRY:          num = &xn->entry; break;
    case XEN_ELFNOTE_HYPERCALL_PAGE: num = hypercall_pfn; break;
    case XEN_ELFNOTE_VIRT_BASE:      num = &xn->virt_base; break;
    case XEN_ELFNOTE_PADDR_OFFSET:   num = &xn->paddr_offset; break;
    case XEN_ELFNOTE_XEN_VERSION:    str = xn->xen_version; break;
    case XEN_ELFNOTE_GUEST_OS:       str = xn->guest_os; break;
    case XEN_ELFNOTE_GUEST_VERSION:  str = xn->guest_version; break;
    case XEN_ELFNOTE_LOADER:         str = xn->loader; break;
    case XEN_ELFNOTE_PAE_MODE:       str = xn->pae_mode; break;
    case XEN_ELFNOTE_FEATURES:
        str = xn->features;
        str_size = sizeof(xn->features);
        break;
    case XEN_ELFNOTE_BSD_SYMTAB:
        /* A flag: present means "yes", whatever follows it. */
        val = "yes";
        vlen = 3;
        str = xn->bsd_symtab;
        break;
    }
    if ( num )
        return parse_number(val, vlen, num) ?
               fail(&xn->err, -EINVAL, "bad number in __xen_guest") : 0;
    if ( vlen >= str_size )
        return fail(&xn->err, -EINVAL, "__xen_guest value too long");
    memcpy(str, val, vlen);
    str[vlen] = '\0';
    return 0;
}

/* Reads the __xen_guest section, if there is one, into xn (which the
 * caller zeroed).  -ENOENT without one. */
static int legacy_guest_info(const struct elf_image *img,
                             struct elf_xen_notes *xn)
{
    struct elf64_shdr sh;
    const char *p, *end;
    uint64_t hypercall_pfn = 0;
    int rc;

    rc = elf_find_section(img, "__xen_guest", &sh);
    if ( rc == -EINVAL )
        return fail(&xn->err, rc, "__xen_guest section outside the file");
    if ( rc || sh.sh_type == SHT_NOBITS )
        return -ENOENT;
    p = (const char *)img->data + sh.sh_offset;
    end = p + sh.sh_size;
    xn->legacy = true;
    while ( p < end && *p )
    {
        const char *key = p, *eq = NULL, *val;
        size_t klen, vlen;

        while ( p < end && *p && *p != ',' )
        {
            if ( *p == '=' && !eq )
                eq = p;
            p++;
        }
        klen = (eq ? eq : p) - key;
        val = eq ? eq + 1 : p;
        vlen = p - val;
        if ( p < end && *p == ',' )
            p++;
        if ( klen && (rc = legacy_item(xn, key, klen, val, vlen,
                                       &hypercall_pfn)) )
            return rc;
    }
    /* The legacy HYPERCALL_PAGE is a page number, not an address. */
    if ( ELF_XEN_HAS(xn, XEN_ELFNOTE_HYPERCALL_PAGE) )
    {
        if ( hypercall_pfn > (UINT64_MAX - xn->virt_base) / ELF_PAGE_SIZE )
            return fail(&xn->err, -EINVAL, "HYPERCALL_PAGE out of range");
        xn->hypercall_page = xn->virt_base + hypercall_pfn * ELF_PAGE_SIZE;
    }
    return parse_features(xn);
}

/* ---- What a Xen PV kernel is ------------------------------------------ */

static bool starts_with(const char *s, const char *prefix)
{
    return !memcmp(s, prefix, strlen(prefix));
}

int elf_xen_parse(const struct elf_image *img, struct elf_xen_notes *xn)
{
    uint64_t off;
    int rc;

    rc = elf_xen_notes(img, xn);
    if ( rc )
        return rc;
    if ( xn->present == 0 )
    {
        rc = legacy_guest_info(img, xn);
        if ( rc == -ENOENT )
            return fail(&xn->err, -ENOEXEC, "not a Xen PV kernel (no Xen "
                        "ELF notes and no __xen_guest section)");
        if ( rc )
            return rc;
    }

    /* strncmp-style prefixes: the strings are NUL-terminated copies and
     * the buffers are longer than the prefixes. */
    if ( !starts_with(xn->xen_version, "xen-3.0") )
        return fail(&xn->err, -ENOEXEC, "not a Xen PV kernel (XEN_VERSION "
                    "is not \"xen-3.0\")");
    if ( !starts_with(xn->guest_os, "linux") &&
         !starts_with(xn->loader, "generic") )
        return fail(&xn->err, -ENOEXEC, "not a Xen PV kernel (neither "
                    "GUEST_OS \"linux\" nor LOADER \"generic\")");

    if ( ELF_XEN_HAS(xn, XEN_ELFNOTE_PADDR_OFFSET) &&
         !ELF_XEN_HAS(xn, XEN_ELFNOTE_VIRT_BASE) )
        return fail(&xn->err, -EINVAL, "PADDR_OFFSET without VIRT_BASE");
    if ( !ELF_XEN_HAS(xn, XEN_ELFNOTE_VIRT_BASE) )
        xn->virt_base = 0;
    if ( !ELF_XEN_HAS(xn, XEN_ELFNOTE_PADDR_OFFSET) )
        xn->paddr_offset = xn->legacy ? xn->virt_base : 0;
    if ( !ELF_XEN_HAS(xn, XEN_ELFNOTE_ENTRY) )
        xn->entry = img->entry;

    /* The image's VA range; elf_init guaranteed pstart < pend.  With no
     * segment below PADDR_OFFSET, a wrap shows as virt_kstart < VIRT_BASE
     * or virt_kend < virt_kstart. */
    if ( img->pstart < xn->paddr_offset )
        return fail(&xn->err, -EINVAL, "a segment loads below PADDR_OFFSET");
    off = elf_xen_virt_offset(xn);
    xn->virt_kstart = img->pstart + off;
    xn->virt_kend = img->pend + off;
    if ( xn->virt_kend < xn->virt_kstart || xn->virt_kstart < xn->virt_base )
        return fail(&xn->err, -EINVAL,
                    "the image maps below VIRT_BASE or wraps");
    if ( xn->entry < xn->virt_kstart || xn->entry >= xn->virt_kend )
        return fail(&xn->err, -EINVAL,
                    "the entry point is outside the image");
    if ( ELF_XEN_HAS(xn, XEN_ELFNOTE_HYPERCALL_PAGE) &&
         ((xn->hypercall_page & (ELF_PAGE_SIZE - 1)) ||
          xn->virt_kend - xn->virt_kstart < ELF_PAGE_SIZE ||
          xn->hypercall_page < xn->virt_kstart ||
          xn->hypercall_page > xn->virt_kend - ELF_PAGE_SIZE) )
        return fail(&xn->err, -EINVAL,
                    "HYPERCALL_PAGE is not a page of the image");
    return 0;
}
