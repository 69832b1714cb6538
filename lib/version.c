#include "custseg.h"
#include "cs-version.h"

const char *cs_version(void)
{
    return CS_VERSION;
}
