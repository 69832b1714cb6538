/* The AUC and friends against small cases computed by hand. */
#include "custseg.h"
#include "check.h"

static double auc(const double *s, const int *y, size_t n)
{
    cs_eval e;
    return cs_evaluate(s, y, n, 0, &e, NULL, NULL, NULL, NULL) == CS_OK ? e.auc : NAN;
}

int main(void)
{
    /* perfect ranking: 1; reversed: 0 */
    const double s1[] = {0.9, 0.8, 0.2, 0.1};
    const int y1[] = {1, 1, 0, 0}, y1r[] = {0, 0, 1, 1};
    CHECK_NEAR(auc(s1, y1, 4), 1, 1e-15);
    CHECK_NEAR(auc(s1, y1r, 4), 0, 1e-15);
    /* all tied: 0.5 */
    const double s2[] = {0.5, 0.5, 0.5, 0.5};
    CHECK_NEAR(auc(s2, y1, 4), 0.5, 1e-15);
    /* by hand: churners 0.8, 0.4; stayers 0.6, 0.4, 0.2. Pairs (c, s):
     * 0.8 beats all three (3); 0.4 beats 0.2 (1), ties 0.4 (1/2), loses to
     * 0.6: 4.5 of 6 = 0.75 */
    const double s3[] = {0.8, 0.6, 0.4, 0.4, 0.2};
    const int y3[] = {1, 0, 1, 0, 0};
    CHECK_NEAR(auc(s3, y3, 5), 0.75, 1e-15);
    /* Brier and log loss by hand: p = 0.8 (y 1), 0.3 (y 0):
     * Brier ((0.2)^2 + 0.3^2) / 2 = 0.065; log loss -(ln 0.8 + ln 0.7) / 2 */
    const double p4[] = {0.8, 0.3};
    const int y4[] = {1, 0};
    cs_eval e;
    double fpr[4], tpr[4];
    size_t nr;
    CHECK(cs_evaluate(p4, y4, 2, 1, &e, fpr, tpr, &nr, NULL) == CS_OK);
    CHECK_NEAR(e.brier, 0.065, 1e-15);
    CHECK_NEAR(e.log_loss, -(log(0.8) + log(0.7)) / 2, 1e-15);
    CHECK(nr == 3 && fpr[2] == 1 && tpr[2] == 1 && tpr[1] == 1 && fpr[1] == 0);
    /* lift and capture: 10 customers, 2 churners at the top: top 10% (1
     * customer) has rate 1, base 0.2 -> lift 5, capture 0.5 */
    double s5[10];
    int y5[10];
    for (int i = 0; i < 10; i++) {
        s5[i] = 1 - i * 0.1;
        y5[i] = i < 2;
    }
    CHECK(cs_evaluate(s5, y5, 10, 0, &e, NULL, NULL, NULL, NULL) == CS_OK);
    CHECK_NEAR(e.lift[0], 5, 1e-12);
    CHECK_NEAR(e.capture[0], 0.5, 1e-12);
    CHECK_NEAR(e.capture[1], 1, 1e-12);
    CHECK(isnan(e.brier));
    const int one[] = {1, 1};
    CHECK(cs_evaluate(p4, one, 2, 1, &e, NULL, NULL, NULL, NULL) == CS_EINVAL);
    return check_exit(1); /* no real data needed */
}
