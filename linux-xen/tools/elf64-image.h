/*
 * elf64-image: load a kernel ELF into memory and check, before anyone
 * trusts a single offset in it, that it is an ELF64 little-endian x86-64
 * executable whose program headers and segments lie inside the file.
 */
#ifndef ELF64_IMAGE_H
#define ELF64_IMAGE_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

struct elf64_image {
    const char *path;
    unsigned char *data;
    size_t len;
    const Elf64_Ehdr *ehdr;
    const Elf64_Phdr *phdr;     /* ehdr->e_phnum entries, bounds-checked */
    unsigned load_segments;
};

/* Fills *img; on failure writes a one-line reason to err and returns -1. */
int elf64_image_load(struct elf64_image *img, const char *path,
                     char *err, size_t errlen);
void elf64_image_free(struct elf64_image *img);

/*
 * Calls fn once per note found in the PT_NOTE segments.  Returns 0, or -1
 * with a reason in err if a note header or body overruns its segment.
 */
typedef void (*elf64_note_fn)(const char *owner, uint32_t type,
                              const unsigned char *desc, uint32_t desc_len,
                              void *ctx);
int elf64_image_notes(const struct elf64_image *img, elf64_note_fn fn,
                      void *ctx, char *err, size_t errlen);

#endif
