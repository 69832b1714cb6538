/* cs_model_validate on hand-made customers. NBD with r = alpha = 1, T = 1
 * and a holdout of 2 units: E[X(2) | x] = (1 + x)/(1 + 1) * 2 = 1 + x, so
 * every row of the table can be worked out by hand. */
#include "custseg.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    gsl_set_error_handler_off();
    /* x, t_x, T; holdout purchases; weight; mean repeat value */
    cs_obs obs[] = {{.x = 0, .tx = 0, .T = 1},   {.x = 0, .tx = 0, .T = 1},
                    {.x = 1, .tx = 0.5, .T = 1}, {.x = 2, .tx = 0.5, .T = 1},
                    {.x = 9, .tx = 1, .T = 1},   {.x = 7, .tx = 1, .T = 1}};
    double hold[] = {0, 3, 1, NAN, 12, 4};
    double w[] = {1, 1, 2, 1, 1, 1};
    double mon[] = {NAN, NAN, 10, 20, 30, 10};
    cs_customers c = {.n = 6, .kind = CS_TABLE_SUMMARY, .unit = CS_UNIT_WEEK, .obs = obs,
                      .monetary = mon, .x_holdout = hold, .weight = w, .has_monetary = 1,
                      .has_holdout = 1, .duration_holdout = 2};
    cs_model m = {.kind = CS_MODEL_NBD, .np = 2, .param = {1, 1}, .unit = CS_UNIT_WEEK};
    cs_validation v;
    cs_error err = {0};
    /* customer 3 has no holdout count: an error, not a customer left out */
    CHECK(cs_model_validate(&m, &c, &v, &err) == CS_EFORMAT &&
          !strcmp(err.field, "frequency_holdout") &&
          strstr(err.message, "frequency_holdout is empty"));
    /* with a count and no weight, it adds nothing: the table below is that
     * of the other five */
    hold[3] = 5;
    w[3] = 0;
    CHECK(cs_model_validate(&m, &c, &v, &err) == CS_OK);
    CHECK(v.duration == 2);
    /* frequency 0: customers 0 and 1 (predicted 1 each, actual 0 and 3) */
    CHECK(v.customers[0] == 2 && v.actual[0] == 3 && v.predicted[0] == 2);
    /* frequency 1: customer 2, weight 2 (predicted 2, actual 1) */
    CHECK(v.customers[1] == 2 && v.actual[1] == 2 && v.predicted[1] == 4);
    /* frequency 2: customer 3, weight 0 */
    CHECK(v.customers[2] == 0 && v.actual[2] == 0 && v.predicted[2] == 0);
    for (int k = 3; k < 7; k++)
        CHECK(v.customers[k] == 0);
    /* 7+: customers 4 (x = 9: 10 vs 12) and 5 (x = 7: 8 vs 4) */
    CHECK(v.customers[7] == 2 && v.actual[7] == 16 && v.predicted[7] == 18);
    CHECK(v.customers[CS_VALIDATE_ALL] == 6 && v.actual[CS_VALIDATE_ALL] == 21 &&
          v.predicted[CS_VALIDATE_ALL] == 24);
    /* |e - a| weighted: 1 + 2 + 2*1 + 2 + 4 = 11; squares 1 + 4 + 2 + 4 + 16 = 27 */
    CHECK_NEAR(v.mae, 11.0 / 6, 1e-15);
    CHECK_NEAR(v.rmse, sqrt(27.0 / 6), 1e-15);
    /* repeat buyers with a value, once each: (1, 10), (2, 20), (9, 30), (7, 10);
     * means 4.75 and 17.5; sxm = 57.5, sxx = 44.75, smm = 275 */
    CHECK(v.spend_n == 4);
    CHECK_NEAR(v.spend_corr, 57.5 / sqrt(44.75 * 275), 1e-14);
    CHECK_NEAR(v.spend_corr, 0.5183284, 1e-7);

    /* the table as custseg-clv validate writes it */
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    CHECK(fp && cs_validation_write(&v, fp, CS_FORMAT_CSV, 1, &err) == CS_OK);
    if (fp)
        fclose(fp);
    /* frequency numeric (7: seven or more; empty for all), the label in group */
    CHECK(text && !strcmp(text, "frequency,group,customers,actual_mean,predicted_mean,"
                                "actual_total,predicted_total\n"
                                "0,0,2,1.5,1,3,2\n1,1,2,1,2,2,4\n2,2,0,,,0,0\n3,3,0,,,0,0\n"
                                "4,4,0,,,0,0\n5,5,0,,,0,0\n6,6,0,,,0,0\n7,7+,2,8,9,16,18\n"
                                ",all,6,3.5,4,21,24\n"));
    if (text && check_failures)
        fputs(text, stderr);
    free(text);

    /* without monetary values: no correlation */
    c.has_monetary = 0;
    CHECK(cs_model_validate(&m, &c, &v, &err) == CS_OK && isnan(v.spend_corr) &&
          v.spend_n == 0);
    /* without a holdout: an error, not a table */
    c.has_holdout = 0;
    CHECK(cs_model_validate(&m, &c, &v, &err) == CS_EINVAL && err.message[0]);
    /* no weight anywhere: MAE and RMSE are not defined */
    c.has_holdout = 1;
    for (int i = 0; i < 6; i++)
        w[i] = 0;
    CHECK(cs_model_validate(&m, &c, &v, &err) == CS_OK && v.customers[CS_VALIDATE_ALL] == 0 &&
          isnan(v.mae) && isnan(v.rmse));
    for (int i = 0; i < 6; i++)
        w[i] = 1;

    /* a spend model predicts no purchases: refused, not a table of zeros */
    cs_model gg = {.kind = CS_MODEL_GG, .np = 3, .param = {6, 4, 15}};
    CHECK(cs_model_validate(&gg, &c, &v, &err) == CS_EINVAL &&
          strstr(err.message, "Gamma-Gamma model predicts the value of purchases"));
    /* BG/BB counts periods: a summary in weeks is not its table */
    cs_model bb = {.kind = CS_MODEL_BGBB, .np = 4, .param = {1, 1, 1, 1}};
    CHECK(cs_model_validate(&bb, &c, &v, &err) == CS_EINVAL &&
          strstr(err.message, "pattern table") && strstr(err.message, "summary in weeks"));
    /* a model in days on weeks */
    m.unit = CS_UNIT_DAY;
    CHECK(cs_model_validate(&m, &c, &v, &err) == CS_EINVAL);
    m.unit = CS_UNIT_WEEK;
    /* a row the model cannot take (recency after T): the shared check */
    obs[2].tx = 3;
    CHECK(cs_model_validate(&m, &c, &v, &err) == CS_EFORMAT &&
          !strcmp(err.message, "t_x_weeks 3 is greater than T_weeks 1"));
    obs[2].tx = 0.5;
    /* predictions the model cannot give: counted, the first named, an error
     * (BG/NBD with parameters at 1e-300 and 1e300 is beyond the numerics) */
    cs_model bg = {.kind = CS_MODEL_BGNBD, .np = 4, .param = {1e-300, 1e300, 1e-300, 1e-300},
                   .unit = CS_UNIT_WEEK};
    CHECK(cs_model_validate(&bg, &c, &v, &err) == CS_EINVAL &&
          strstr(err.message, "no holdout prediction for "));
    /* a = 1 (once refused: the closed form needs a != 1) is predicted, and
     * continuous with a next to 1 */
    bg.param[0] = 1, bg.param[1] = 1, bg.param[2] = 1, bg.param[3] = 2;
    CHECK(cs_model_validate(&bg, &c, &v, &err) == CS_OK &&
          v.customers[CS_VALIDATE_ALL] == 6);
    double at1 = v.predicted[CS_VALIDATE_ALL];
    bg.param[2] = 1 + 1e-6;
    CHECK(cs_model_validate(&bg, &c, &v, &err) == CS_OK &&
          fabs(v.predicted[CS_VALIDATE_ALL] - at1) < 1e-5 * at1);
    bg.param[2] = 0.5;
    CHECK(cs_model_validate(&bg, &c, &v, &err) == CS_OK &&
          v.customers[CS_VALIDATE_ALL] == 6);
    return check_exit(1); /* no real data needed */
}
