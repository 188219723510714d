/*
 * kallsyms-map: rebuild a System.map from the kallsyms tables inside a
 * stripped kernel ELF.
 *
 * Debian's linux-image package ships a placeholder System.map (the real
 * one is in the huge -dbg package), yet every kernel built with
 * CONFIG_KALLSYMS carries its full symbol table in .rodata for
 * /proc/kallsyms.  Those tables have no ELF symbols pointing at them, so we
 * find them by shape.  Layout written by the kernel's scripts/kallsyms.c in
 * 6.1 (each table starting 8-byte aligned):
 *
 *   offsets[N]        s32; >= 0: absolute value (per-CPU symbols),
 *                     < 0: relative_base - 1 - offset
 *   relative_base     u64
 *   num_syms          u32 N
 *   names             per symbol: ULEB128 length (1 or 2 bytes), then that
 *                     many token indices; the first expanded char is the
 *                     symbol type ('T', 't', 'D', ...)
 *   markers[(N+255)/256]  u32 offset into names of every 256th symbol
 *   seqs_of_names[3N] big-endian 24-bit indices (only in newer 6.1.y;
 *                     both layouts are accepted)
 *   token_table       256 NUL-terminated strings
 *   token_index[256]  u16 offset of each token in token_table
 *
 * Search: token_index is 256 increasing u16 starting at 0 right after a
 * table of strings it indexes exactly; from there num_syms is the u32
 * whose N makes every table in between line up.  The result is printed in
 * System.map format, one "ADDRESS TYPE NAME" line per symbol, address order.
 *
 * Usage: kallsyms-map ELF >System.map
 */
#include "elf64-image.h"

#include <stdio.h>
#include <string.h>

#define TOKENS 256
#define MIN_SYMS 1000          /* any real kernel has far more */
#define MAX_SYMS (1u << 22)
#define MAX_NAME 512
#define MAX_TOKEN 128

struct kallsyms {
    const unsigned char *base;
    size_t len;
    size_t token_table, token_index;   /* file offsets */
    size_t names, markers, offsets;
    uint32_t num_syms;
    uint64_t relative_base;
};

static uint16_t rd16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint32_t rd32(const unsigned char *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const unsigned char *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

/*
 * Is there a token table ending (up to alignment) exactly at idx, indexed
 * by the u16 array at idx?  On success stores its start in *table.
 */
static int token_tables_at(const struct kallsyms *k, size_t idx, size_t *table)
{
    const unsigned char *ix = k->base + idx;
    if (rd16(ix) != 0)
        return 0;
    for (int i = 1; i < TOKENS; i++) {
        unsigned step = rd16(ix + 2 * i) - rd16(ix + 2 * (i - 1));
        if (rd16(ix + 2 * i) <= rd16(ix + 2 * (i - 1)) || step > 64)
            return 0;
    }
    size_t last = rd16(ix + 2 * (TOKENS - 1));
    /* The table is at least last + 2 bytes long and ends within 8 of idx. */
    if (idx < last + 2)
        return 0;
    /* The last token is at most MAX_TOKEN chars: bounded candidate starts. */
    for (size_t start = (idx - last - 2) & ~(size_t)7;
         start + last + 2 + MAX_TOKEN + 8 > idx; start -= 8) {
        const unsigned char *t = k->base + start;
        int ok = 1;
        for (int i = 1; i < TOKENS && ok; i++)
            ok = t[rd16(ix + 2 * i) - 1] == '\0' && t[rd16(ix + 2 * (i - 1))] != '\0';
        size_t end = start + last;
        while (ok && end < idx && k->base[end] != '\0')
            end++;
        if (ok && end < idx && align8(end + 1) == idx) {
            *table = start;
            return 1;
        }
        if (start < 8)
            break;
    }
    return 0;
}

/* The length prefix of the name at *off (one byte, or two when bit 7 of
 * the first is set, low seven bits first), stepping *off past it. */
static size_t name_len(const struct kallsyms *k, size_t *off)
{
    size_t len = k->base[*off];
    if (len & 0x80) {
        len = (len & 0x7f) | (size_t)k->base[*off + 1] << 7;
        *off += 2;
    } else {
        *off += 1;
    }
    return len;
}

/* Walks n names from off; returns the offset just past them, or 0. */
static size_t skip_names(const struct kallsyms *k, size_t off, uint32_t n, size_t limit)
{
    for (uint32_t i = 0; i < n; i++) {
        if (off + 2 > limit)
            return 0;
        size_t len = name_len(k, &off);
        if (len == 0 || off + len > limit)
            return 0;
        off += len;
    }
    return off;
}

/*
 * Where markers[] must start if num_syms is n, for the layout with (seqs
 * = 1) or without the seqs_of_names table; 0 if that cannot be.
 */
static size_t markers_for(const struct kallsyms *k, uint32_t n, int seqs)
{
    size_t nmarkers = (n + 255) / 256;
    size_t tail = seqs ? 3 * (size_t)n : 0;
    if (k->token_table < tail + align8(4 * nmarkers))
        return 0;
    size_t after = (k->token_table - tail) & ~(size_t)7;   /* end of markers, aligned */
    if (align8(after + tail) != k->token_table)
        return 0;
    return after - align8(4 * nmarkers);
}

/* Does num_syms at p make names, markers, seqs and token_table line up? */
static int num_syms_at(struct kallsyms *k, size_t p)
{
    uint32_t n = rd32(k->base + p);
    if (n < MIN_SYMS || n > MAX_SYMS)
        return 0;
    uint32_t nmarkers = (n + 255) / 256;
    size_t names = p + 8;
    for (int seqs = 1; seqs >= 0; seqs--) {
        size_t markers = markers_for(k, n, seqs);
        /* Cheap tests: names fit (2 bytes or more each), markers[0] is 0,
         * the last marker points inside the names. */
        if (markers < names + 2 * (size_t)n || rd32(k->base + markers) != 0 ||
            rd32(k->base + markers + 4 * (nmarkers - 1)) >= markers - names)
            continue;
        /* 256 names take at least 512 bytes and at most 256 maximal ones. */
        uint32_t second = rd32(k->base + markers + 4);
        if (second < 2 * 256 || second > 256 * (2 + MAX_NAME))
            continue;
        size_t names_end = skip_names(k, names, n, markers);
        if (!names_end || align8(names_end) != markers)
            continue;
        /* Every marker must point at its 256th name. */
        size_t off = names;
        int ok = 1;
        for (uint32_t m = 0; m < nmarkers && ok; m++) {
            ok = rd32(k->base + markers + 4 * m) == off - names;
            if (m + 1 < nmarkers)
                off = skip_names(k, off, 256, names_end);
        }
        size_t offsets_bytes = align8(4 * (size_t)n);
        if (!ok || p < 8 + offsets_bytes)
            continue;
        k->num_syms = n;
        k->names = names;
        k->markers = markers;
        k->relative_base = rd64(k->base + p - 8);
        k->offsets = p - 8 - offsets_bytes;
        return 1;
    }
    return 0;
}

static int find_tables(struct kallsyms *k)
{
    for (size_t idx = 8; idx + 2 * TOKENS <= k->len; idx += 8) {
        if (!token_tables_at(k, idx, &k->token_table))
            continue;
        k->token_index = idx;
        /* num_syms sits below the names, markers and seqs: walk down. */
        for (size_t p = k->token_table & ~(size_t)7; p >= 16; p -= 8)
            if (num_syms_at(k, p))
                return 1;
    }
    return 0;
}

/* Expands symbol i's tokens into out; returns the offset of the next name. */
static size_t expand(const struct kallsyms *k, size_t off, char *out, size_t outlen)
{
    size_t len = name_len(k, &off);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        const char *tok = (const char *)k->base + k->token_table +
                          rd16(k->base + k->token_index + 2 * k->base[off + i]);
        for (; *tok && o + 1 < outlen; tok++)
            out[o++] = *tok;
    }
    out[o] = '\0';
    return off + len;
}

static uint64_t address(const struct kallsyms *k, uint32_t i)
{
    int32_t v = (int32_t)rd32(k->base + k->offsets + 4 * (size_t)i);
    if (v >= 0)
        return (uint64_t)v;
    return k->relative_base - 1 - (uint64_t)(int64_t)v;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: kallsyms-map ELF >System.map\n");
        return 2;
    }
    struct elf64_image img;
    char err[256];
    if (elf64_image_load(&img, argv[1], err, sizeof err) < 0) {
        fprintf(stderr, "kallsyms-map: %s\n", err);
        return 1;
    }
    struct kallsyms k = { .base = img.data, .len = img.len };
    if (!find_tables(&k)) {
        fprintf(stderr, "kallsyms-map: %s: no kallsyms tables found (kernel without "
                "CONFIG_KALLSYMS, or a table layout other than Linux 6.1's)\n", argv[1]);
        elf64_image_free(&img);
        return 1;
    }
    char name[MAX_NAME];
    size_t off = k.names;
    for (uint32_t i = 0; i < k.num_syms; i++) {
        off = expand(&k, off, name, sizeof name);
        printf("%016llx %c %s\n", (unsigned long long)address(&k, i), name[0],
               name[0] ? name + 1 : "");
    }
    elf64_image_free(&img);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "kallsyms-map: write error\n");
        return 1;
    }
    return 0;
}
