/* Helpers shared by the two halves of the ELF reader (libelf.c: the ELF64
 * image; libelf-xen.c: what makes it a Xen PV kernel).  Private to them:
 * both are compiled into the hypervisor and into libxc. */
#ifndef XEN_COMMON_LIBELF_PRIVATE_H
#define XEN_COMMON_LIBELF_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

struct elf_image;
struct elf_note;

#define ELF_PAGE_SIZE 4096u
#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Record why in *err and return rc (a negative errno). */
static inline int fail(const char **err, int rc, const char *why)
{
    *err = why;
    return rc;
}

/* Little-endian fields of notes, read byte by byte (no alignment). */
static inline uint32_t get_le32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t get_le64(const uint8_t *p)
{
    return get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

/* Walk the notes of every PT_NOTE segment (sections false) or SHT_NOTE
 * section (true), calling fn for each; *found says whether any container
 * existed.  0, fn's nonzero return, or a negative errno with *err set. */
int elf_walk_containers(const struct elf_image *img, bool sections,
                        int (*fn)(void *ctx, const struct elf_note *note),
                        void *ctx, const char **err, bool *found);

#endif /* XEN_COMMON_LIBELF_PRIVATE_H */
