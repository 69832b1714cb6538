/* libcustseg: customer analytics and segmentation.
 *
 * The library computes and returns; it never prints, never exits and keeps
 * no global state. Functions return 0 (CS_OK) or a negative CS_E* code and
 * fill an optional cs_error; constructors return NULL on failure. Every
 * constructor (cs_X_new, cs_X_open) has a destructor (cs_X_free,
 * cs_X_close) that accepts NULL. */
#ifndef CUSTSEG_H
#define CUSTSEG_H

#include "cs-error.h"
#include "cs-calendar.h"
#include "cs-io.h"
#include "cs-txn.h"
#include "cs-summary.h"
#include "cs-models.h"
#include "cs-segment.h"
#include "cs-churn.h"
#include "cs-stats.h"
#include "cs-report.h"

/* The library's version, "MAJOR.MINOR.PATCH". Static string. */
const char *cs_version(void);

#endif
