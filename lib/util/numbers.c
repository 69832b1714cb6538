/* Small numeric tables shared by the formatting (io/) and parsing (txn/)
 * of numbers. */
#include "util/internal.h"

#include <stdio.h>
#include <stdlib.h>

const double csi_pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

size_t csi_format_exact(char *buf, double v)
{
    int n = 0;
    for (int digits = 15; digits <= 17; digits++) {
        n = snprintf(buf, 32, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return (size_t)n;
}
