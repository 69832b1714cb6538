/* STUB: being written. */
#include "models/family.h"

#include <math.h>

static double ll_stub(const double *p, const cs_obs *o)
{
    (void)p;
    (void)o;
    return NAN;
}

const struct csi_family csi_family_bgbb = {
    .kind = CS_MODEL_BGBB,
    .name = "bgbb",
    .np = 4,
    .pnames = {"alpha", "beta", "gamma", "delta"},
    .ll = ll_stub,
};
