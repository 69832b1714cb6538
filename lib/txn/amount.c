/* Strict, locale-independent decimal numbers in fixed point. */
#include "cs-txn.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cs_amount_parse(const char *s, size_t len, int64_t *micro, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    size_t i = 0;
    int neg = 0;
    if (len == 0) {
        *why = "empty";
        return CS_EAMOUNT;
    }
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i++;
    }
    /* Collect up to 19 significant digits as an integer mantissa; the
     * position of the dot and the exponent give the power of ten. */
    uint64_t mant = 0;
    int ndig = 0, seen_dot = 0, any = 0;
    int scale = 0; /* value = mant * 10^scale */
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any = 1;
            if (mant == 0 && c == '0') {
                if (seen_dot)
                    scale--;
                continue;
            }
            if (ndig < 18) {
                mant = mant * 10 + (uint64_t)(c - '0');
                ndig++;
                if (seen_dot)
                    scale--;
            } else {
                /* beyond 18 digits only matters for rounding at 10^-6, far
                 * below; keep the magnitude right */
                if (!seen_dot)
                    scale++;
            }
        } else if (c == '.') {
            if (seen_dot) {
                *why = "more than one decimal point";
                return CS_EAMOUNT;
            }
            seen_dot = 1;
        } else if (c == 'e' || c == 'E') {
            break;
        } else if (c == ',') {
            *why = "a comma (use a dot for decimals and no thousands separators)";
            return CS_EAMOUNT;
        } else {
            *why = "not a number";
            return CS_EAMOUNT;
        }
    }
    if (!any) {
        *why = "not a number";
        return CS_EAMOUNT;
    }
    if (i < len) { /* exponent */
        i++;
        int eneg = 0, e = 0, edig = 0;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        for (; i < len; i++) {
            if (s[i] < '0' || s[i] > '9') {
                *why = "not a number";
                return CS_EAMOUNT;
            }
            if (e < 10000)
                e = e * 10 + (s[i] - '0');
            edig++;
        }
        if (!edig) {
            *why = "not a number";
            return CS_EAMOUNT;
        }
        scale += eneg ? -e : e;
    }
    /* micro = mant * 10^(scale + 6), rounded half away from zero */
    int p = scale + 6;
    uint64_t r;
    if (mant == 0) {
        r = 0;
    } else if (p >= 0) {
        /* |value| must stay below CS_AMOUNT_MAX = 10^12: at most 18 digits
         * of micro-units */
        if (ndig + p > 18) {
            *why = "too large";
            return CS_EAMOUNT;
        }
        r = mant;
        for (int k = 0; k < p; k++)
            r *= 10;
    } else {
        int q = -p;
        if (q > ndig) {
            r = 0; /* below half a micro-unit... unless exactly at the edge */
            if (q == ndig + 0) {
                /* unreachable: q > ndig */
            }
        } else {
            uint64_t pow = 1;
            for (int k = 0; k < q; k++)
                pow *= 10;
            r = mant / pow;
            uint64_t rem = mant % pow;
            if (rem * 2 >= pow)
                r++;
        }
    }
    if ((double)r > CS_AMOUNT_MAX * (double)CS_MICRO) {
        *why = "too large";
        return CS_EAMOUNT;
    }
    *micro = neg ? -(int64_t)r : (int64_t)r;
    return CS_OK;
}

int cs_amount_mul(int64_t qty_micro, int64_t price_micro, int64_t *out)
{
    __int128 p = (__int128)qty_micro * price_micro;
    int neg = p < 0;
    if (neg)
        p = -p;
    __int128 q = p / CS_MICRO;
    if ((p % CS_MICRO) * 2 >= CS_MICRO)
        q++;
    if (q > (__int128)(CS_AMOUNT_MAX * CS_MICRO))
        return CS_EAMOUNT;
    *out = neg ? -(int64_t)q : (int64_t)q;
    return CS_OK;
}
