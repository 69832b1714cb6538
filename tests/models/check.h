/* Small assertion helpers for the model tests (no framework). */
#ifndef CS_TEST_CHECK_H
#define CS_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int check_failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            check_failures++;                                                        \
        }                                                                            \
    } while (0)

#define CHECK_NEAR(got, want, tol)                                                     \
    do {                                                                               \
        double g_ = (got), w_ = (want), t_ = (tol);                                    \
        if (!(fabs(g_ - w_) <= t_)) {                                                  \
            fprintf(stderr, "%s:%d: %s = %.10g, expected %.10g +- %g\n", __FILE__,      \
                    __LINE__, #got, g_, w_, t_);                                       \
            check_failures++;                                                          \
        }                                                                              \
    } while (0)

/* Rounds to the published number of decimals and compares exactly. */
#define CHECK_ROUNDS_TO(got, want, decimals)                                         \
    do {                                                                             \
        double s_ = pow(10, (decimals));                                             \
        double g_ = round((got) * s_) / s_;                                          \
        if (fabs(g_ - (want)) > 0.5 / s_) {                                          \
            fprintf(stderr, "%s:%d: %s = %.10g does not round to %.*f\n", __FILE__,   \
                    __LINE__, #got, (double)(got), (decimals), (double)(want));      \
            check_failures++;                                                        \
        }                                                                            \
    } while (0)

#endif
