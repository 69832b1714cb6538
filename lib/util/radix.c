/* custseg: one least-significant-digit radix sort of 64-bit keys for the
 * library's large sorts (values for the Lorenz curve and tiers, contacts'
 * (customer, day) keys, ids by their first 8 bytes). */
#include "util/internal.h"

#include <stdlib.h>
#include <string.h>

int csi_radix_sort64(uint64_t *key, uint32_t *val, size_t n)
{
    if (n < 2)
        return 1;
    uint64_t *kb = csi_big_alloc(n * sizeof *kb, 0);
    uint32_t *vb = val ? csi_big_alloc(n * sizeof *vb, 0) : NULL;
    int ok = kb && (!val || vb) && csi_radix_sort64_buf(key, val, n, kb, vb);
    free(kb), free(vb);
    return ok;
}

int csi_radix_sort64_buf(uint64_t *key, uint32_t *val, size_t n, uint64_t *kb, uint32_t *vb)
{
    if (n < 2)
        return 1;
    size_t *count = csi_big_alloc(((size_t)4 << 16) * sizeof *count, 1);
    if (!count)
        return 0;
    /* the four digits' counts in one pass over the keys */
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < 4; p++)
            count[((size_t)p << 16) + ((key[i] >> (16 * p)) & 0xffff)]++;
    uint64_t *ka = key, *kt = kb;
    uint32_t *va = val, *vt = vb;
    for (int p = 0; p < 4; p++) {
        size_t *c = count + ((size_t)p << 16);
        if (c[(ka[0] >> (16 * p)) & 0xffff] == n)
            continue; /* one digit for all: the pass changes nothing */
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = c[(ka[i] >> (16 * p)) & 0xffff]++;
            kt[at] = ka[i];
            if (va)
                vt[at] = va[i];
        }
        uint64_t *k = ka;
        ka = kt, kt = k;
        uint32_t *v = va;
        va = vt, vt = v;
    }
    if (ka != key) {
        memcpy(key, ka, n * sizeof *key);
        if (val)
            memcpy(val, va, n * sizeof *val);
    }
    free(count);
    return 1;
}
