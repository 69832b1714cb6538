/* custseg: large arrays touched at random (hash tables, per-customer
 * blocks): huge pages cut the TLB misses that otherwise dominate (a hint;
 * harmless where refused). */
#include "util/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE (2u << 20)

void *csi_big_alloc(size_t size, int zero)
{
    void *p;
    if (size >= HUGE && size % HUGE) {
        /* not a whole number of huge pages: advise the aligned middle */
        p = zero ? calloc(1, size) : malloc(size);
#ifdef MADV_HUGEPAGE
        if (p) {
            uintptr_t a = ((uintptr_t)p + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
            uintptr_t e = ((uintptr_t)p + size) & ~(uintptr_t)(HUGE - 1);
            if (e > a)
                madvise((void *)a, e - a, MADV_HUGEPAGE);
        }
#endif
        return p;
    }
    if (size >= HUGE / 2) {
        /* from half a huge page, one whole page: a fault instead of 256 */
        size_t rounded = (size + HUGE - 1) & ~(size_t)(HUGE - 1);
        p = aligned_alloc(HUGE, rounded);
        if (p) {
#ifdef MADV_HUGEPAGE
            madvise(p, rounded, MADV_HUGEPAGE);
#endif
            if (zero)
                memset(p, 0, size);
        }
        return p;
    }
    return zero ? calloc(1, size) : malloc(size);
}

void *csi_big_grow(void *p, size_t used, size_t size)
{
    if (size < HUGE / 2)
        return realloc(p, size);
    void *q = csi_big_alloc(size, 0);
    if (!q)
        return NULL;
    if (used)
        memcpy(q, p, used);
    free(p);
    return q;
}
