/* Helpers shared inside libcustseg; not part of the public API. */
#ifndef CS_UTIL_INTERNAL_H
#define CS_UTIL_INTERNAL_H

#include "cs-error.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define CS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define CS_LIKELY(x) __builtin_expect(!!(x), 1)
#define CS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define CS_PRINTF(a, b)
#define CS_LIKELY(x) (x)
#define CS_UNLIKELY(x) (x)
#endif

/* Sets err->code and err->message; returns code so callers can
 * `return csi_fail(err, CS_EDATE, ...)`. err may be NULL. */
int csi_fail(cs_error *err, int code, const char *fmt, ...) CS_PRINTF(3, 4);

/* The setting an error is about (a field of the caller's options, e.g.
 * "customer") and the value given for it; the caller words it. */
void csi_error_setting(cs_error *err, const char *setting, const char *value);
/* Sets err->hint (enum cs_hint); returns err->code. */
int csi_hint(cs_error *err, int hint);

/* malloc (zero: calloc) for a large array touched at random: from 2 MiB
 * the memory is advised for transparent huge pages. Freed with free().
 * (util/mem.c) */
void *csi_big_alloc(size_t size, int zero);
/* realloc for an array that grows large: from 1 MiB the new block is
 * csi_big_alloc'ed and the used bytes copied (realloc's block is not
 * advised for huge pages, and 4 KiB page faults cost more than the copy).
 * NULL when out of memory, p untouched. */
void *csi_big_grow(void *p, size_t used, size_t size);

/* Sorts key[0..n) ascending, stable, val[0..n) moved along (val may be
 * NULL): least-significant-digit radix, 16 bits a pass, a pass whose digit
 * is the same for every key skipped. Returns 0 when out of memory (nothing
 * moved: the caller sorts another way). (util/radix.c) */
int csi_radix_sort64(uint64_t *key, uint32_t *val, size_t n);
/* The same with the caller's scratch of n keys (kb) and values (vb; with
 * val only): the memory of a large sort reused, not faulted in afresh
 * (first touch is what a large sort mostly costs). */
int csi_radix_sort64_buf(uint64_t *key, uint32_t *val, size_t n, uint64_t *kb, uint32_t *vb);

/* Records where an error happened (any argument may be NULL/0). */
void csi_error_where(cs_error *err, const char *file, long line, int column,
                    const char *field, size_t field_len);

/* The column of header h whose name, lower-cased and stripped of all but
 * letters and digits ("Customer_ID" -> "customerid"), is in names (NULL
 * terminated, tried in order: the first name found wins); -1 if none.
 * (io/table.c) */
struct cs_record;
int csi_find_known(const struct cs_record *h, const char *const *names);

/* Days in month m (1-12) of year y, Gregorian. (calendar/calendar.c) */
int csi_days_in_month(int y, int m);
/* 1e0 .. 1e22, exact in a double. */
extern const double csi_pow10[23];
/* The shortest of %.15g, %.16g and %.17g that reads back (strtod) as
 * exactly v, for files the library reads again (model and breaks files):
 * call it in the C numeric locale. v finite; buf: 32 bytes. */
size_t csi_format_exact(char *buf, double v);

/* Prints root (indented) into a string the caller frees with free(), and
 * deletes root; NULL when out of memory. (io/json.c) */
struct cJSON;
char *csi_json_string(struct cJSON *root);
/* Reads a small JSON file whole (at most max_bytes, a power of two from
 * 64 KiB) and parses it in the C numeric locale; *text (unless NULL)
 * receives the text, which the caller frees. Errors (NULL): CS_EFORMAT
 * "the file is larger than N MiB", "the file is empty", "invalid or
 * truncated JSON" (with the file and the line where parsing stopped), the
 * reader's, CS_ENOMEM. (io/json.c) */
struct cs_input;
struct cJSON *csi_json_read(struct cs_input *in, size_t max_bytes, char **text, cs_error *err);

/* Copies s into dst as printable text for a message; returns its length. */
size_t csi_excerpt(char *dst, size_t cap, const char *s, size_t len);

/* 64-bit hash of a byte string (all bytes mixed). */
static inline uint64_t csi_hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    const uint64_t m = 0xc6a4a7935bd1e995ULL;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * m);
    while (len >= 8) {
        uint64_t k;
        __builtin_memcpy(&k, p, 8);
        k *= m;
        k ^= k >> 47;
        k *= m;
        h ^= k;
        h *= m;
        p += 8;
        len -= 8;
    }
    uint64_t t = 0;
    switch (len) {
    case 7: t ^= (uint64_t)p[6] << 48; /* fall through */
    case 6: t ^= (uint64_t)p[5] << 40; /* fall through */
    case 5: t ^= (uint64_t)p[4] << 32; /* fall through */
    case 4: t ^= (uint64_t)p[3] << 24; /* fall through */
    case 3: t ^= (uint64_t)p[2] << 16; /* fall through */
    case 2: t ^= (uint64_t)p[1] << 8; /* fall through */
    case 1:
        t ^= (uint64_t)p[0];
        h ^= t;
        h *= m;
    }
    h ^= h >> 47;
    h *= m;
    h ^= h >> 47;
    return h;
}

/* True when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int csi_utf8_valid(const char *s, size_t len);
/* The length (1 to 4) of the valid UTF-8 sequence at s[0..len), with its
 * code point in *cp; 0 when it is not valid (overlong, a surrogate, past
 * U+10FFFF, cut short). */
size_t csi_utf8_char(const unsigned char *s, size_t len, unsigned *cp);

#endif
