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

/* The folder of the real data sets ($DATASETS) when it holds file, else
 * NULL (the checks on real data are then not run). */
static inline const char *check_datasets(const char *file)
{
    const char *dir = getenv("DATASETS");
    if (!dir)
        return NULL;
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    FILE *f = fopen(p, "r");
    if (!f)
        return NULL;
    fclose(f);
    return dir;
}

/* main's return: 1 when a check failed; 77 (skipped, for meson) when the
 * checks on real data could not run; else 0. */
static inline int check_exit(int datasets_ran)
{
    if (check_failures) {
        fprintf(stderr, "%d checks failed\n", check_failures);
        return 1;
    }
    if (!datasets_ran) {
        fprintf(stderr, "../shared/datasets is absent: the checks on real data did not run\n");
        return 77;
    }
    return 0;
}

#endif
