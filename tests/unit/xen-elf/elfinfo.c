/* xen-elf-info: prints what libelf.c reads from an ELF file, in a form the
 * suite compares with readelf's:
 *   load <paddr> <vaddr> <filesz> <memsz>      one per PT_LOAD
 *   range <pstart> <pend>
 *   note <owner> <type> <descriptor bytes in hex>   every note
 *   xen <NAME> <value>                          the parsed Xen notes
 * On a refused file: "error <rc> <reason>" and exit status 1. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <xen/libelf.h>
#include <public/elfnote.h>
#include "host.h"

static int print_load(void *ctx, const struct elf_segment *s)
{
    (void)ctx;
    printf("load %#llx %#llx %#llx %#llx\n", (unsigned long long)s->paddr,
           (unsigned long long)s->vaddr, (unsigned long long)s->filesz,
           (unsigned long long)s->memsz);
    return 0;
}

static int print_note(void *ctx, const struct elf_note *n)
{
    const uint8_t *d = n->desc;
    uint32_t i;

    (void)ctx;
    printf("note %.*s %u ", (int)(n->namesz ? n->namesz - 1 : 0), n->name,
           n->type);
    for ( i = 0; i < n->descsz; i++ )
        printf("%02x", d[i]);
    printf("\n");
    return 0;
}

int main(int argc, char **argv)
{
    static const struct { const char *name; int type; size_t off; } nums[] = {
#define NUM(t, f) { #t, XEN_ELFNOTE_##t, offsetof(struct elf_xen_notes, f) }
        NUM(ENTRY, entry), NUM(HYPERCALL_PAGE, hypercall_page),
        NUM(VIRT_BASE, virt_base), NUM(PADDR_OFFSET, paddr_offset),
        NUM(HV_START_LOW, hv_start_low), NUM(SUSPEND_CANCEL, suspend_cancel),
        NUM(INIT_P2M, init_p2m), NUM(MOD_START_PFN, mod_start_pfn),
        NUM(SUPPORTED_FEATURES, supported_features),
        NUM(PHYS32_ENTRY, phys32_entry),
#undef NUM
    };
    struct elf_image img;
    struct elf_xen_notes xn;
    uint8_t *data;
    size_t len;
    unsigned int i;
    int rc;

    if ( argc != 2 )
    {
        fprintf(stderr, "usage: %s ELF-FILE\n", argv[0]);
        return 2;
    }
    data = read_whole_file(argv[1], &len);
    if ( !data )
    {
        perror(argv[1]);
        return 2;
    }
    rc = elf_init(&img, data, len);
    if ( rc )
    {
        printf("error %d %s\n", rc, img.err);
        return 1;
    }
    elf_for_each_load(&img, print_load, NULL);
    printf("range %#llx %#llx\n", (unsigned long long)img.pstart,
           (unsigned long long)img.pend);
    rc = elf_for_each_note(&img, print_note, NULL, &img.err);
    if ( rc )
    {
        printf("error %d %s\n", rc, img.err);
        return 1;
    }
    rc = elf_xen_notes(&img, &xn);
    if ( rc )
    {
        printf("error %d %s\n", rc, xn.err);
        return 1;
    }
    for ( i = 0; i < sizeof(nums) / sizeof(nums[0]); i++ )
        if ( ELF_XEN_HAS(&xn, nums[i].type) )
            printf("xen %s %#llx\n", nums[i].name, (unsigned long long)
                   *(const uint64_t *)((const char *)&xn + nums[i].off));
    if ( ELF_XEN_HAS(&xn, XEN_ELFNOTE_L1_MFN_VALID) )
        printf("xen L1_MFN_VALID %#llx %#llx\n",
               (unsigned long long)xn.l1_mfn_valid_mask,
               (unsigned long long)xn.l1_mfn_valid_value);
    printf("xen XEN_VERSION \"%s\"\nxen GUEST_OS \"%s\"\n"
           "xen GUEST_VERSION \"%s\"\nxen LOADER \"%s\"\n"
           "xen PAE_MODE \"%s\"\nxen FEATURES \"%s\"\n"
           "xen features_wanted %#x\nxen features_required %#x\n"
           "xen virt_offset %#llx\n",
           xn.xen_version, xn.guest_os, xn.guest_version, xn.loader,
           xn.pae_mode, xn.features, xn.features_wanted,
           xn.features_required,
           (unsigned long long)elf_xen_virt_offset(&xn));
    free(data);
    return 0;
}
