/*
 * elf64-image: loading and structural checks of a kernel ELF (see the
 * header).  Every offset and size taken from the file is checked against
 * the file length before it is used, so a truncated or hostile file ends in
 * an error message rather than a wild read.
 */
#include "elf64-image.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* True if [off, off+size) lies inside a buffer of len bytes. */
static int in_bounds(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

static int read_whole(struct elf64_image *img, char *err, size_t errlen)
{
    FILE *f = fopen(img->path, "rb");
    if (!f)
        return fail(err, errlen, "cannot open %s: %s", img->path, strerror(errno));
    long end = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        end = ftell(f);
    if (end < 0) {
        fclose(f);
        return fail(err, errlen, "cannot size %s", img->path);
    }
    rewind(f);
    img->data = malloc(end ? (size_t)end : 1);
    if (!img->data) {
        fclose(f);
        return fail(err, errlen, "out of memory reading %s", img->path);
    }
    size_t got = fread(img->data, 1, (size_t)end, f);
    fclose(f);
    if (got != (size_t)end)
        return fail(err, errlen, "short read from %s", img->path);
    img->len = (size_t)end;
    return 0;
}

static int check_header(struct elf64_image *img, char *err, size_t errlen)
{
    const unsigned char *id = img->data;
    if (img->len < sizeof(Elf64_Ehdr) || memcmp(id, ELFMAG, SELFMAG) != 0)
        return fail(err, errlen, "%s: not an ELF file", img->path);
    if (id[EI_CLASS] != ELFCLASS64)
        return fail(err, errlen, "%s: not ELF64 (class %u)", img->path, id[EI_CLASS]);
    if (id[EI_DATA] != ELFDATA2LSB)
        return fail(err, errlen, "%s: not little-endian", img->path);

    img->ehdr = (const Elf64_Ehdr *)img->data;
    const Elf64_Ehdr *eh = img->ehdr;
    if (eh->e_machine != EM_X86_64)
        return fail(err, errlen, "%s: machine %u is not x86-64", img->path, eh->e_machine);
    if (eh->e_type != ET_EXEC)
        return fail(err, errlen, "%s: ELF type %u is not an executable (ET_EXEC)",
                    img->path, eh->e_type);
    if (eh->e_phnum == 0)
        return fail(err, errlen, "%s: no program headers", img->path);
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return fail(err, errlen, "%s: program header size %u, expected %zu",
                    img->path, eh->e_phentsize, sizeof(Elf64_Phdr));
    if (eh->e_phoff % 8 != 0 ||
        !in_bounds(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), img->len))
        return fail(err, errlen, "%s: program headers lie outside the file", img->path);
    img->phdr = (const Elf64_Phdr *)(img->data + eh->e_phoff);
    return 0;
}

static int check_segments(struct elf64_image *img, char *err, size_t errlen)
{
    for (unsigned i = 0; i < img->ehdr->e_phnum; i++) {
        const Elf64_Phdr *ph = &img->phdr[i];
        if (ph->p_type != PT_LOAD && ph->p_type != PT_NOTE)
            continue;
        if (!in_bounds(ph->p_offset, ph->p_filesz, img->len))
            return fail(err, errlen, "%s: segment %u lies outside the file (truncated?)",
                        img->path, i);
        if (ph->p_type == PT_LOAD) {
            if (ph->p_filesz > ph->p_memsz)
                return fail(err, errlen, "%s: segment %u has filesz > memsz", img->path, i);
            img->load_segments++;
        }
    }
    if (img->load_segments == 0)
        return fail(err, errlen, "%s: no PT_LOAD segment", img->path);
    return 0;
}

int elf64_image_load(struct elf64_image *img, const char *path, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    img->path = path;
    if (read_whole(img, err, errlen) < 0 || check_header(img, err, errlen) < 0 ||
        check_segments(img, err, errlen) < 0) {
        elf64_image_free(img);
        return -1;
    }
    return 0;
}

void elf64_image_free(struct elf64_image *img)
{
    free(img->data);
    img->data = NULL;
}

static uint32_t align4(uint32_t n) { return (n + 3u) & ~3u; }

int elf64_image_notes(const struct elf64_image *img, elf64_note_fn fn, void *ctx,
                      char *err, size_t errlen)
{
    for (unsigned i = 0; i < img->ehdr->e_phnum; i++) {
        const Elf64_Phdr *ph = &img->phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const unsigned char *p = img->data + ph->p_offset;
        uint64_t left = ph->p_filesz;
        while (left > 0) {
            Elf64_Nhdr nh;
            if (left < sizeof nh)
                return fail(err, errlen, "%s: truncated note header in segment %u",
                            img->path, i);
            memcpy(&nh, p, sizeof nh);
            uint64_t name_sz = align4(nh.n_namesz), desc_sz = align4(nh.n_descsz);
            if (nh.n_namesz > 0xffff || nh.n_descsz > 0xffffff ||
                sizeof nh + name_sz + desc_sz > left)
                return fail(err, errlen, "%s: note overruns segment %u", img->path, i);

            /* Owner names are NUL-terminated; refuse ones that are not. */
            char owner[64] = "";
            const char *name = (const char *)p + sizeof nh;
            if (nh.n_namesz > 0) {
                if (nh.n_namesz > sizeof owner || name[nh.n_namesz - 1] != '\0')
                    return fail(err, errlen, "%s: malformed note owner in segment %u",
                                img->path, i);
                memcpy(owner, name, nh.n_namesz);
            }
            fn(owner, nh.n_type, p + sizeof nh + name_sz, nh.n_descsz, ctx);
            p += sizeof nh + name_sz + desc_sz;
            left -= sizeof nh + name_sz + desc_sz;
        }
    }
    return 0;
}
