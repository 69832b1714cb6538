/* Writes an HTML page with one chart of each kind (lib/report/chart.h) to
 * the file named on the command line, for a person to open and for
 * tests/unit/check-svg.py to parse:
 *
 *     chart-demo /tmp/charts.html
 *
 * The data are made up in the shapes the report draws. */
#include "report/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static csi_chart chart(const char *id, const char *title, const char *note, const char *xl,
                       const char *yl, int xk, int yk)
{
    csi_chart c = {.id = id, .title = title, .note = note, .x_label = xl, .y_label = yl,
                   .x_kind = xk, .y_kind = yk, .x_min = NAN, .x_max = NAN, .y_min = NAN,
                   .y_max = NAN};
    return c;
}

static int lorenz(csi_buf *b, cs_error *err)
{
    enum { N = 201 };
    static double x[N], y[N];
    for (int i = 0; i < N; i++) {
        x[i] = i / (double)(N - 1);
        y[i] = 1 - pow(1 - x[i], 4.5);
    }
    static const double dx[2] = {0, 1}, dy[2] = {0, 1};
    csi_series s[2] = {
        {.label = "customers, largest first", .x = x, .y = y, .n = N},
        {.label = "equal shares", .x = dx, .y = dy, .n = 2, .style = 1},
    };
    char t1[64], t5[64], t20[64];
    snprintf(t1, sizeof t1, "top 1 %%: %.1f %% of value", 100 * (1 - pow(0.99, 4.5)));
    snprintf(t5, sizeof t5, "top 5 %%: %.1f %% of value", 100 * (1 - pow(0.95, 4.5)));
    snprintf(t20, sizeof t20, "top 20 %%: %.1f %% of value", 100 * (1 - pow(0.8, 4.5)));
    csi_mark m[3] = {{0.01, 1 - pow(0.99, 4.5), t1},
                     {0.05, 1 - pow(0.95, 4.5), t5},
                     {0.2, 1 - pow(0.8, 4.5), t20}};
    csi_chart c = chart("lorenz", "Concentration of value (Lorenz curve)",
                        "The further the curve lies above the dashed diagonal, the more of the "
                        "value comes from few customers; Gini 0.64.",
                        "share of customers, largest first (%)", "share of value (%)",
                        CSI_NUM_PERCENT, CSI_NUM_PERCENT);
    c.x_min = c.y_min = 0;
    c.x_max = c.y_max = 1;
    return csi_svg_lines(b, &c, s, 2, m, 3, err);
}

static int tracking(csi_buf *b, cs_error *err)
{
    enum { N = 78 };
    static double x[N], actual[N], model[N];
    double first = 11323; /* 2001-01-01 */
    for (int i = 0; i < N; i++) {
        x[i] = first + 7 * i;
        model[i] = 180 + 900 * (1 - exp(-i / 10.0)) * exp(-i / 60.0);
        actual[i] = model[i] * (1 + 0.12 * sin(i * 1.7)) + 25 * cos(i * 0.9);
    }
    actual[30] = NAN; /* a week without data */
    csi_series s[2] = {
        {.label = "actual", .x = x, .y = actual, .n = N, .markers = 1},
        {.label = "BG/NBD model", .x = x, .y = model, .n = N, .style = 1},
    };
    csi_mark m[1] = {{first + 7 * 39, model[39], "end of calibration"}};
    csi_chart c = chart("tracking", "Weekly purchases, actual and model",
                        "Dots are the purchases made each week, the dashed line what the model "
                        "expects; after the calibration end the model forecasts.",
                        "week", "purchases per week", CSI_NUM_DATE, CSI_NUM_COUNT);
    return csi_svg_lines(b, &c, s, 2, m, 1, err);
}

static int histogram(csi_buf *b, cs_error *err)
{
    static const char *const cats[] = {"0", "1", "2", "3", "4", "5", "6", "7+"};
    static const double actual[] = {1411, 439, 214, 100, 62, 38, 29, 64};
    static const double model[] = {1409.2, 446.7, 203.8, 103.5, 56.9, 33.2, 20.5, 83.1};
    csi_series s[2] = {{.label = "actual", .y = actual, .n = 8},
                       {.label = "model", .y = model, .n = 8}};
    csi_chart c = chart("period-transactions", "Repeat purchases in the calibration period",
                        "Each pair of bars compares how many customers made that many repeat "
                        "purchases with what the fitted model expects.",
                        "repeat purchases", "customers", 0, CSI_NUM_COUNT);
    return csi_svg_bars(b, &c, cats, 8, s, 2, 0, 0, err);
}

static int stacked(csi_buf *b, cs_error *err)
{
    static const char *const cats[] = {"2010-Q4", "2011-Q1", "2011-Q2", "2011-Q3", "2011-Q4"};
    static const double new_[] = {182000, 95000, 88000, 91000, 120500};
    static const double repeat[] = {210000, 301000, 322000, 355000, 498000};
    static const double returns[] = {-21000, -35500, -18000, -24000, -61000};
    csi_series s[3] = {{.label = "new customers", .y = new_, .n = 5},
                       {.label = "repeat customers", .y = repeat, .n = 5},
                       {.label = "returns", .y = returns, .n = 5}};
    csi_chart c = chart("revenue-quarter", "Revenue by quarter",
                        "Bars above zero stack the revenue of new and repeat customers; the bar "
                        "below zero is what was returned.",
                        "quarter", "revenue (GBP)", 0, CSI_NUM_MONEY);
    return csi_svg_bars(b, &c, cats, 5, s, 3, 1, 0, err);
}

static int segments(csi_buf *b, cs_error *err)
{
    static const char *const cats[] = {
        "Champions", "Loyal customers", "Potential loyalists", "Recent customers", "Promising",
        "Customers needing attention", "About to sleep", "At risk",
        "Can't lose them (high value, gone quiet for a long time)", "Hibernating", "Lost"};
    static const double customers[] = {0.112, 0.154, 0.086, 0.052, 0.041, 0.077,
                                       0.069, 0.118, 0.021, 0.144, 0.126};
    static const double revenue[] = {0.452, 0.211, 0.049, 0.012, 0.009, 0.041,
                                     0.018, 0.108, 0.043, 0.037, 0.020};
    csi_series s[2] = {{.label = "share of customers", .y = customers, .n = 11},
                       {.label = "share of revenue", .y = revenue, .n = 11}};
    csi_chart c = chart("segments", "RFM segments: customers and revenue",
                        "Each segment's share of all customers next to its share of revenue; "
                        "long names are cut, hover for the whole name.",
                        "segment", "share (%)", 0, CSI_NUM_PERCENT);
    c.height = 440;
    return csi_svg_bars(b, &c, cats, 11, s, 2, 0, 1, err);
}

static int heatmap(csi_buf *b, cs_error *err)
{
    static const char *const rows[] = {"R 5", "R 4", "R 3", "R 2", "R 1"};
    static const char *const cols[] = {"F 1", "F 2", "F 3", "F 4", "F 5"};
    static const double v[25] = {
        412, 288, 190, 255, 640, /* recent */
        380, 301, 222, 260, 415, /**/
        455, 310, 201, 180, 233, /**/
        610, 295, 150, 98,  120, /**/
        1210, 402, 95, 41,  17,  /* long gone */
    };
    csi_chart c = chart("rfm-heatmap", "Customers by recency and frequency score",
                        "Each cell counts the customers with that recency (rows, 5 = most "
                        "recent) and frequency score (columns, 5 = most frequent); darker is "
                        "more.",
                        "frequency score", "recency score", 0, 0);
    c.height = 400;
    return csi_svg_heatmap(b, &c, rows, 5, cols, 5, v, NULL, "customers", CSI_NUM_COUNT, err);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: chart-demo FILE.html\n");
        return 2;
    }
    csi_buf b;
    csi_buf_init(&b);
    csi_buf_puts(&b,
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                 "<title>custseg charts</title>\n<style>\n"
                 "body { font-family: system-ui, sans-serif; margin: 1rem auto; max-width: "
                 "60rem; padding: 0 1rem; color: #222; }\n"
                 ".cs-chart { margin: 1.5rem 0; break-inside: avoid; }\n"
                 ".cs-chart h3 { margin: 0 0 .25rem; font-size: 1.05rem; }\n"
                 ".cs-chart svg { max-width: 100%; height: auto; display: block; }\n"
                 ".cs-note, .cs-nodata { margin: .25rem 0; font-size: .9rem; color: #555; }\n"
                 "</style>\n</head>\n<body>\n<h1>custseg charts</h1>\n");
    cs_error err;
    cs_error_clear(&err);
    int (*const charts[])(csi_buf *, cs_error *) = {lorenz, tracking, histogram,
                                                    stacked, segments, heatmap};
    for (size_t i = 0; i < sizeof charts / sizeof *charts; i++)
        if (charts[i](&b, &err) != CS_OK) {
            fprintf(stderr, "chart-demo: %s\n", err.message);
            csi_buf_free(&b);
            return 1;
        }
    csi_buf_puts(&b, "</body>\n</html>\n");
    if (csi_buf_ok(&b, &err) != CS_OK) {
        fprintf(stderr, "chart-demo: %s\n", err.message);
        csi_buf_free(&b);
        return 1;
    }
    FILE *fp = fopen(argv[1], "w");
    if (!fp || fwrite(b.data, 1, b.len, fp) != b.len || fclose(fp) != 0) {
        perror(argv[1]);
        csi_buf_free(&b);
        return 1;
    }
    csi_buf_free(&b);
    return 0;
}
