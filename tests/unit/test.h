/* A tiny assertion header for the unit tests: no framework. Each test file
 * has static test_*() functions called from main(), which returns
 * test_result(). */
#ifndef CS_UNIT_TEST_H
#define CS_UNIT_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int test_failures, test_checks;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        test_checks++;                                                               \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            test_failures++;                                                         \
        }                                                                            \
    } while (0)

#define CHECK_EQ_INT(got, want)                                                           \
    do {                                                                                  \
        long long g_ = (long long)(got), w_ = (long long)(want);                          \
        test_checks++;                                                                    \
        if (g_ != w_) {                                                                   \
            fprintf(stderr, "%s:%d: %s = %lld, expected %lld\n", __FILE__, __LINE__, #got, \
                    g_, w_);                                                              \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

#define CHECK_EQ_STR(got, want)                                                             \
    do {                                                                                    \
        const char *g_ = (got), *w_ = (want);                                               \
        test_checks++;                                                                      \
        if (strcmp(g_, w_) != 0) {                                                          \
            fprintf(stderr, "%s:%d: %s = \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
                    #got, g_, w_);                                                          \
            test_failures++;                                                                \
        }                                                                                   \
    } while (0)

#define CHECK_NEAR(got, want, tol)                                                    \
    do {                                                                              \
        double g_ = (got), w_ = (want);                                               \
        test_checks++;                                                                \
        if (!(fabs(g_ - w_) <= (tol))) {                                              \
            fprintf(stderr, "%s:%d: %s = %.12g, expected %.12g\n", __FILE__, __LINE__, \
                    #got, g_, w_);                                                    \
            test_failures++;                                                          \
        }                                                                             \
    } while (0)

static inline int test_result(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
    return test_failures ? 1 : 0;
}

#endif
