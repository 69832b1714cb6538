/* custseg: the report as one self-contained HTML page: a small stylesheet,
 * inline SVG charts (chart.c), tables with numbers formatted for people, no
 * script and nothing fetched. Key figures carry their exact value in a
 * data-value attribute (12 significant digits, C locale) so that a test, or
 * a script, reads the numbers the tools print. */
#include "report/chart.h"
#include "report/report-internal.h"

#include "custseg.h"
#include "util/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char style[] =
    "*{box-sizing:border-box}"
    "body{margin:0;color:#1b1f24;background:#fff;"
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
    "header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}"
    "header{padding-top:24px}h1{font-size:1.7em;margin:0 0 4px}"
    "h2{font-size:1.35em;margin:32px 0 8px;padding-top:8px;border-top:2px solid #d0d7de}"
    "h3{font-size:1.05em;margin:0 0 4px}"
    ".cs-sub,.cs-note,footer{color:#57606a}.cs-note{font-size:.9em;margin:4px 0 0}"
    ".cs-lead{font-size:1.1em}"
    "nav{max-width:1100px;margin:8px auto 0;padding:0 16px}"
    "nav a{margin-right:14px;color:#0072b2;text-decoration:none}"
    ".cs-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:24px}"
    "figure.cs-chart{margin:16px 0;break-inside:avoid;page-break-inside:avoid}"
    "figure.cs-chart svg{display:block;width:100%;height:auto;max-width:100%}"
    ".cs-wrap{overflow-x:auto;margin:12px 0}.cs-wide{grid-column:1/-1}"
    "table{border-collapse:collapse;font-size:.92em;font-variant-numeric:tabular-nums}"
    "th,td{padding:4px 10px;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top}"
    "th{background:#f6f8fa}td.n,th.n{text-align:right;white-space:nowrap}"
    "table.cs-kv th{background:none;font-weight:600}"
    ".cs-left-out{background:#fff8c5;border:1px solid #d4a72c;padding:8px 12px;border-radius:6px}"
    "footer{margin:40px auto 24px;font-size:.85em;border-top:1px solid #d0d7de;padding-top:8px}"
    "code{font-size:.9em;word-break:break-all}"
    "@media (max-width:640px){.cs-grid{grid-template-columns:1fr}body{font-size:14px}}"
    "@page{size:A4;margin:14mm}"
    "@media print{nav{display:none}body{font-size:11pt}header,main,footer{max-width:none;padding:0}"
    "section{break-before:auto}h2{break-after:avoid}.cs-wrap{overflow:visible}}";

/* ---- Small writers ---- */

/* Numbers in tables keep their decimals ("2,309.0" under "3,259.5"), so a
 * column lines up: PLAIN values are padded with zeros to `decimals`. */
static void num(csi_buf *b, double v, int kind, int decimals)
{
    char t[80];
    csi_format_human(t, 64, v, kind, decimals);
    if (kind == CSI_NUM_PLAIN && decimals > 0 && isfinite(v)) {
        char *dot = strchr(t, '.');
        size_t have = dot ? strlen(dot + 1) : 0;
        if (!dot)
            strcat(t, ".");
        while (have++ < (size_t)decimals && strlen(t) < sizeof t - 1)
            strcat(t, "0");
    }
    csi_buf_puts(b, t);
}

/* A figure with its exact value for readers of the DOM. */
static void figure(csi_buf *b, const char *id, double v, int kind, int decimals)
{
    char exact[40];
    cs_format_double(exact, v, 12);
    csi_buf_printf(b, "<span id=\"%s\" data-value=\"%s\">", id, exact);
    num(b, v, kind, decimals);
    csi_buf_puts(b, "</span>");
}

static void td(csi_buf *b, double v, int kind, int decimals)
{
    csi_buf_puts(b, "<td class=\"n\">");
    num(b, v, kind, decimals);
    csi_buf_puts(b, "</td>");
}

/* A numeric cell with its exact value (data-value). */
static void tdx(csi_buf *b, double v, int kind, int decimals)
{
    char exact[40];
    cs_format_double(exact, v, 12);
    csi_buf_printf(b, "<td class=\"n\" data-value=\"%s\">", exact);
    num(b, v, kind, decimals);
    csi_buf_puts(b, "</td>");
}

static void tds(csi_buf *b, const char *s)
{
    csi_buf_puts(b, "<td>");
    csi_buf_escapes(b, s);
    csi_buf_puts(b, "</td>");
}

/* A header row: names separated by '|', a leading '#' marks a numeric column. */
static void thead(csi_buf *b, const char *cols)
{
    csi_buf_puts(b, "<thead><tr>");
    while (*cols) {
        const char *bar = strchr(cols, '|');
        size_t len = bar ? (size_t)(bar - cols) : strlen(cols);
        int n = *cols == '#';
        csi_buf_puts(b, n ? "<th class=\"n\">" : "<th>");
        csi_buf_escape(b, cols + n, len - (size_t)n);
        csi_buf_puts(b, "</th>");
        cols += len + (bar != NULL);
    }
    csi_buf_puts(b, "</tr></thead><tbody>");
}

static void kv_text(csi_buf *b, const char *k, const char *v)
{
    csi_buf_puts(b, "<tr><th>");
    csi_buf_escapes(b, k);
    csi_buf_puts(b, "</th><td>");
    csi_buf_escapes(b, v);
    csi_buf_puts(b, "</td></tr>");
}

static void kv_num(csi_buf *b, const char *k, const char *id, double v, int kind, int decimals)
{
    csi_buf_puts(b, "<tr><th>");
    csi_buf_escapes(b, k);
    csi_buf_puts(b, "</th><td>");
    figure(b, id, v, kind, decimals);
    csi_buf_puts(b, "</td></tr>");
}

static const char *date_text(cs_day d, char buf[11])
{
    if (d == CS_DAY_NONE) {
        strcpy(buf, "-");
        return buf;
    }
    cs_day_format(d, buf);
    return buf;
}

static const char *returns_name(int r)
{
    switch (r) {
    case CS_RETURNS_NET: return "net (netted within the day)";
    case CS_RETURNS_DROP: return "drop (negative records left out)";
    case CS_RETURNS_KEEP: return "keep (every day with a record is a purchase day)";
    case CS_RETURNS_NET_CUSTOMER: return "net-customer (netted against the last purchase day)";
    }
    return "?";
}

/* ---- 1. Overview ---- */

static void sec_overview(const cs_report *r, csi_buf *b)
{
    char d1[11], d2[11], t[160];
    csi_buf_puts(b, "<section id=\"overview\"><h2>1. Overview</h2><div class=\"cs-wrap\">"
                    "<table class=\"cs-kv\"><tbody>");
    kv_num(b, "Customers", "customers", (double)r->customers, CSI_NUM_COUNT, 0);
    kv_num(b,
           r->from_table && r->calibration_end != CS_DAY_NONE
               ? "Their transactions (records, calibration period)"
               : "Their transactions (records)",
           "transactions", (double)r->transactions, CSI_NUM_COUNT, 0);
    if (r->has_amount)
        kv_num(b, "Their revenue (net of returns)", "revenue", (double)r->revenue / CS_MICRO,
               CSI_NUM_MONEY, 2);
    snprintf(t, sizeof t, "%s to %s", date_text(r->first_day, d1), date_text(r->last_day, d2));
    kv_text(b, "Period covered", t);
    kv_text(b, "End of observation (as of)", date_text(r->as_of, d1));
    if (r->calibration_end != CS_DAY_NONE) {
        snprintf(t, sizeof t, "%s (holdout: the days after it, to %s)",
                 date_text(r->calibration_end, d1), date_text(r->as_of, d2));
        kv_text(b, "Calibration end", t);
    }
    kv_text(b, "Returns and cancellations", returns_name(r->returns));
    if (r->has_load) {
        const cs_load_stats *l = &r->load;
        kv_num(b, "Records read", "records-read", (double)l->records_read, CSI_NUM_COUNT, 0);
        kv_num(b, "Records skipped as bad", "records-skipped", (double)l->skipped, CSI_NUM_COUNT, 0);
        for (int k = 0; k < CS_REJECT_NKINDS; k++)
            if (l->kind_records[k]) {
                snprintf(t, sizeof t, "of which %s", cs_reject_kind_name(k));
                char id[48];
                snprintf(id, sizeof id, "skipped-%s", cs_reject_kind_name(k));
                kv_num(b, t, id, (double)l->kind_records[k], CSI_NUM_COUNT, 0);
            }
        if (l->filtered)
            kv_num(b, "Records left out by filters", "records-filtered", (double)l->filtered,
                   CSI_NUM_COUNT, 0);
    }
    if (r->sstats.after_as_of)
        kv_num(b, "Records after the as-of date", "records-after-as-of",
               (double)r->sstats.after_as_of, CSI_NUM_COUNT, 0);
    if (r->sstats.holdout_only)
        kv_num(b, "Customers first seen in the holdout (left out)", "customers-holdout-only",
               (double)r->sstats.holdout_only, CSI_NUM_COUNT, 0);
    if (r->sstats.no_purchase)
        kv_num(b, "Customers without a purchase day (left out)", "customers-no-purchase",
               (double)r->sstats.no_purchase, CSI_NUM_COUNT, 0);
    if (r->source)
        kv_text(b, "Data source", r->source);
    csi_buf_puts(b, "</tbody></table></div>");
    if (r->nnotes) {
        csi_buf_puts(b, "<div class=\"cs-left-out\" id=\"left-out\"><strong>Left out of this "
                        "report:</strong><ul>");
        for (size_t i = 0; i < r->nnotes; i++) {
            csi_buf_puts(b, "<li>");
            csi_buf_escapes(b, r->notes[i]);
            csi_buf_puts(b, "</li>");
        }
        csi_buf_puts(b, "</ul></div>");
    }
    csi_buf_puts(b, "</section>");
}

/* ---- 2. Concentration ---- */

static int sec_concentration(const cs_report *r, csi_buf *b, cs_error *err)
{
    if (!r->has_conc && !r->has_pyr)
        return CS_OK;
    csi_buf_puts(b, "<section id=\"concentration\"><h2>2. Concentration</h2>");
    int rc = CS_OK;
    if (r->has_conc) {
        const cs_concentration *c = &r->conc;
        csi_buf_puts(b, "<p class=\"cs-lead\">The top 20&#x202F;% of customers hold ");
        figure(b, "top20", c->top_share[2], CSI_NUM_PERCENT, 1);
        csi_buf_puts(b, " of the value");
        csi_buf_puts(b, c->top_share[2] >= 0.8 ? " (the 80/20 rule holds or is exceeded)"
                                               : " (less concentrated than 80/20)");
        csi_buf_puts(b, "; the top 1&#x202F;% hold ");
        figure(b, "top1", c->top_share[0], CSI_NUM_PERCENT, 1);
        csi_buf_puts(b, " and the top 5&#x202F;% ");
        figure(b, "top5", c->top_share[1], CSI_NUM_PERCENT, 1);
        csi_buf_puts(b, ". Gini coefficient: ");
        figure(b, "gini", c->gini, CSI_NUM_PLAIN, 3);
        csi_buf_puts(b, ".</p>");
        if (r->conc_clipped)
            csi_buf_printf(b, "<p class=\"cs-note\">%zu customers whose returns exceed their "
                              "purchases (a negative net value) count as 0 here.</p>",
                           r->conc_clipped);
        double x[101], y[101], dx[2] = {0, 1}, dy[2] = {0, 1};
        x[0] = 0, y[0] = 0;
        for (int i = 0; i < 100; i++)
            x[i + 1] = (i + 1) / 100.0, y[i + 1] = c->lorenz[i];
        csi_series s[2] = {
            {.label = "Customers (lowest value first)", .x = x, .y = y, .n = 101},
            {.label = "Equal shares", .x = dx, .y = dy, .n = 2, .style = 1},
        };
        char t1[80], t5[80], t20[80], p[48];
        snprintf(t1, sizeof t1, "top 1 %%: %s", csi_format_human(p, sizeof p, c->top_share[0], CSI_NUM_PERCENT, 1));
        snprintf(t5, sizeof t5, "top 5 %%: %s", csi_format_human(p, sizeof p, c->top_share[1], CSI_NUM_PERCENT, 1));
        snprintf(t20, sizeof t20, "top 20 %%: %s", csi_format_human(p, sizeof p, c->top_share[2], CSI_NUM_PERCENT, 1));
        csi_mark m[3] = {{0.99, 1 - c->top_share[0], t1},
                         {0.95, 1 - c->top_share[1], t5},
                         {0.80, 1 - c->top_share[2], t20}};
        csi_chart ch = {.id = "lorenz", .title = "Lorenz curve of customer value",
                        .note = "Read up from a share of customers (lowest value first) to the "
                                "share of value they hold; the further the curve sags below the "
                                "diagonal, the more concentrated the value. The marks give what "
                                "the top customers hold.",
                        .x_label = "cumulative share of customers", .y_label = "cumulative share of value",
                        .x_kind = CSI_NUM_PERCENT, .y_kind = CSI_NUM_PERCENT,
                        .x_min = 0, .x_max = 1, .y_min = 0, .y_max = 1};
        csi_buf_puts(b, "<div class=\"cs-grid\">");
        rc = csi_svg_lines(b, &ch, s, 2, m, 3, err);
    } else
        csi_buf_puts(b, "<div class=\"cs-grid\">");
    if (rc == CS_OK && r->has_pyr) {
        const char *lab[CS_PYR_MAX_TIERS + 1];
        double cs[CS_PYR_MAX_TIERS + 1], vs[CS_PYR_MAX_TIERS + 1];
        int nt = r->pyr.ntiers;
        for (int t = 0; t < nt; t++) {
            lab[t] = r->pyr_rows[t].tier;
            cs[t] = r->pyr_rows[t].customer_share;
            vs[t] = r->pyr_rows[t].value_share;
        }
        csi_series s[2] = {{.label = "share of customers", .y = cs, .n = (size_t)nt},
                           {.label = "share of value", .y = vs, .n = (size_t)nt}};
        csi_chart ch = {.id = "pyramid", .title = "Customer pyramid: customers and value by tier",
                        .note = "Each tier's share of all customers beside its share of the total "
                                "value: a small top tier with a tall value bar is where the value "
                                "sits. Inactive: no purchase in the last year.",
                        .x_label = "tier (by value, highest first)", .y_label = "share",
                        .x_kind = CSI_NUM_PLAIN, .y_kind = CSI_NUM_PERCENT,
                        .x_min = NAN, .x_max = NAN, .y_min = 0, .y_max = NAN};
        rc = csi_svg_bars(b, &ch, lab, (size_t)nt, s, 2, 0, 0, err);
    }
    csi_buf_puts(b, "</div>");
    if (rc == CS_OK && r->has_pyr) {
        csi_buf_puts(b, "<div class=\"cs-wrap\"><table id=\"pyramid-table\">");
        thead(b, "tier|#customers|#share of customers|#value|#share of value|#mean value|"
                 "#median value");
        for (int t = 0; t < r->pyr.ntiers; t++) {
            const cs_pyramid_report_row *w = &r->pyr_rows[t];
            csi_buf_puts(b, "<tr>");
            tds(b, w->tier);
            tdx(b, (double)w->customers, CSI_NUM_COUNT, 0);
            td(b, w->customer_share, CSI_NUM_PERCENT, 1);
            tdx(b, w->value, CSI_NUM_MONEY, 2);
            td(b, w->value_share, CSI_NUM_PERCENT, 1);
            td(b, w->mean, CSI_NUM_MONEY, 2);
            td(b, w->median, CSI_NUM_MONEY, 2);
            csi_buf_puts(b, "</tr>");
        }
        csi_buf_puts(b, "</tbody></table></div>");
    }
    csi_buf_puts(b, "</section>");
    return rc;
}

/* ---- 3. RFM ---- */

static int sec_rfm(const cs_report *r, csi_buf *b, cs_error *err)
{
    if (!r->has_rfm)
        return CS_OK;
    csi_buf_puts(b, "<section id=\"rfm\"><h2>3. RFM</h2>");
    csi_buf_printf(b, "<p>Customers scored 1 (worst) to %d (best) on recency (days since the "
                      "last purchase), frequency (purchase days)%s by quantiles, and named by the "
                      "%s segment rules.</p>",
                   r->breaks.bins, r->rf_only ? "" : " and monetary value (total)",
                   r->rf_only ? "recency-frequency" : "R rfm package's");
    /* ties that leave fewer bins, as custseg-rfm warns */
    static const char *const vname[3] = {"recency", "frequency", "monetary value"};
    int tied = 0;
    for (int v = 0; v < (r->rf_only ? 2 : 3); v++)
        if (r->breaks.ncut[v] < r->breaks.bins - 1) {
            csi_buf_puts(b, tied++ ? "; " : "<p class=\"cs-note\" id=\"rfm-ties\">Ties: ");
            csi_buf_printf(b, "%s has %d score%s (1 to %d) instead of %d", vname[v],
                           r->breaks.ncut[v] + 1, r->breaks.ncut[v] ? "s" : "",
                           r->breaks.ncut[v] + 1, r->breaks.bins);
        }
    if (tied)
        csi_buf_puts(b, ". Many customers share the same value there (one purchase day, "
                        "say), and a quantile cannot split equal values, so that dimension has "
                        "fewer scores, as custseg-rfm warns.</p>");
    int nr = r->nr, nf = r->nf;
    char rl[CS_RFM_MAX_BINS][16], fl[CS_RFM_MAX_BINS][16];
    const char *rows[CS_RFM_MAX_BINS], *cols[CS_RFM_MAX_BINS];
    double cnt[CS_RFM_MAX_BINS * CS_RFM_MAX_BINS], mon[CS_RFM_MAX_BINS * CS_RFM_MAX_BINS];
    for (int i = 0; i < nr; i++) { /* rows: R best (top) to worst */
        int rs = nr - i;
        snprintf(rl[i], sizeof rl[i], "R%d", rs);
        rows[i] = rl[i];
        for (int f = 0; f < nf; f++) {
            cnt[i * nf + f] = r->cell_n[rs - 1][f];
            mon[i * nf + f] = r->cell_m[rs - 1][f];
        }
    }
    for (int f = 0; f < nf; f++) {
        snprintf(fl[f], sizeof fl[f], "F%d", f + 1);
        cols[f] = fl[f];
    }
    csi_buf_puts(b, "<div class=\"cs-grid\">");
    csi_chart ch = {.id = "rfm-heat-customers", .title = "Customers by recency and frequency score",
                    .note = "Each cell counts the customers with that pair of scores; top right "
                            "(recent and frequent) are the best, bottom left the lapsed one-time "
                            "buyers.",
                    .x_label = "frequency score (1 = fewest purchase days)",
                    .y_label = "recency score (5 = most recent)",
                    .x_min = NAN, .x_max = NAN, .y_min = NAN, .y_max = NAN};
    int rc = csi_svg_heatmap(b, &ch, rows, (size_t)nr, cols, (size_t)nf, cnt, NULL, "customers",
                             CSI_NUM_COUNT, err);
    if (rc == CS_OK && !r->rf_only) {
        csi_chart cm = ch;
        cm.id = "rfm-heat-value";
        cm.title = "Mean customer value by recency and frequency score";
        cm.note = "The mean total value of the customers in each cell (empty: no customers).";
        rc = csi_svg_heatmap(b, &cm, rows, (size_t)nr, cols, (size_t)nf, mon, NULL,
                             "mean value", CSI_NUM_MONEY, err);
    }
    size_t ns = r->rfm.n;
    const char **lab = malloc((ns + 1) * sizeof *lab);
    double *cs = malloc((ns + 1) * sizeof *cs), *vs = malloc((ns + 1) * sizeof *vs);
    if (!lab || !cs || !vs) {
        free(lab), free(cs), free(vs);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ns; i++) {
        lab[i] = r->rfm.row[i].segment;
        cs[i] = r->rfm.row[i].customer_share;
        vs[i] = r->rfm.row[i].revenue_share;
    }
    csi_series s[2] = {{.label = "share of customers", .y = cs, .n = ns},
                       {.label = "share of revenue", .y = vs, .n = ns}};
    csi_chart cb = {.id = "rfm-segments", .title = "Segments: customers and revenue",
                    .note = "Each segment's share of the customers beside its share of the "
                            "revenue; segments are ordered by revenue.",
                    .x_label = "segment", .y_label = "share",
                    .x_kind = CSI_NUM_PLAIN, .y_kind = CSI_NUM_PERCENT,
                    .x_min = 0, .x_max = NAN, .y_min = 0, .y_max = NAN,
                    .height = (int)(80 + 34 * ns)};
    if (rc == CS_OK)
        rc = csi_svg_bars(b, &cb, lab, ns, s, r->rf_only ? 1 : 2, 0, 1, err);
    free(lab), free(cs), free(vs);
    csi_buf_puts(b, "</div>");
    if (rc == CS_OK) {
        csi_buf_puts(b, "<div class=\"cs-wrap\"><table id=\"rfm-segments-table\">");
        thead(b, r->rf_only ? "segment|#customers|#share|#orders|#mean days since last|"
                              "#mean purchase days"
                            : "segment|#customers|#share|#revenue|#share of revenue|#orders|"
                              "#average order value|#mean days since last|#mean purchase days|"
                              "#mean value");
        for (size_t i = 0; i < ns; i++) {
            const cs_rfm_report_row *w = &r->rfm.row[i];
            csi_buf_puts(b, "<tr>");
            tds(b, w->segment);
            tdx(b, (double)w->customers, CSI_NUM_COUNT, 0);
            td(b, w->customer_share, CSI_NUM_PERCENT, 1);
            if (!r->rf_only) {
                tdx(b, w->revenue, CSI_NUM_MONEY, 2);
                td(b, w->revenue_share, CSI_NUM_PERCENT, 1);
            }
            td(b, w->orders, CSI_NUM_COUNT, 0);
            if (!r->rf_only)
                td(b, w->aov, CSI_NUM_MONEY, 2);
            td(b, w->mean[CS_RFM_R], CSI_NUM_PLAIN, 1);
            td(b, w->mean[CS_RFM_F], CSI_NUM_PLAIN, 2);
            if (!r->rf_only)
                td(b, w->mean[CS_RFM_M], CSI_NUM_MONEY, 2);
            csi_buf_puts(b, "</tr>");
        }
        csi_buf_puts(b, "</tbody></table></div>");
    }
    csi_buf_puts(b, "</section>");
    return rc;
}

/* ---- 4. Models ---- */

static void model_table(const cs_report *r, csi_buf *b, const cs_model *m, const char *id)
{
    csi_buf_printf(b, "<div class=\"cs-wrap\"><table id=\"%s\">", id);
    thead(b, "parameter|#estimate|#standard error");
    for (int i = 0; i < m->np; i++) {
        char pid[64];
        snprintf(pid, sizeof pid, "%s-%s", id, cs_model_param_name(m->kind, i));
        csi_buf_puts(b, "<tr>");
        tds(b, cs_model_param_name(m->kind, i));
        char exact[40];
        cs_format_double(exact, m->param[i], 12);
        csi_buf_printf(b, "<td class=\"n\" id=\"%s\" data-value=\"%s\">", pid, exact);
        num(b, m->param[i], CSI_NUM_PLAIN, 4);
        csi_buf_puts(b, "</td>");
        td(b, m->se[i], CSI_NUM_PLAIN, 4);
        csi_buf_puts(b, "</tr>");
    }
    csi_buf_puts(b, "</tbody></table></div>");
    (void)r;
}

static void fit_words(csi_buf *b, const cs_model *m, int given)
{
    csi_buf_puts(b, "<p>");
    csi_buf_escapes(b, cs_model_title(m->kind));
    if (given)
        csi_buf_puts(b, ", read from a model file");
    else
        csi_buf_printf(b, ", fitted on %.0f customers (%zu distinct patterns) by %s",
                       m->n_customers, m->n_patterns, m->method[0] ? m->method : "maximum likelihood");
    csi_buf_puts(b, ". Log-likelihood ");
    num(b, m->log_likelihood, CSI_NUM_PLAIN, 2);
    csi_buf_puts(b, ". ");
    if (!given)
        csi_buf_puts(b, m->converged ? "The fit converged. " : "<strong>The fit did not converge: "
                                                               "treat its numbers with care.</strong> ");
    if (m->boundary)
        csi_buf_puts(b, "<strong>The best fit lies on the boundary of the parameter space</strong>: ");
    if (m->note[0])
        csi_buf_escapes(b, m->note);
    csi_buf_puts(b, "</p>");
}

static int sec_models(const cs_report *r, csi_buf *b, cs_error *err)
{
    if (!r->has_model)
        return CS_OK;
    const cs_model *m = &r->model;
    const char *u = cs_unit_suffix(m->unit);
    csi_buf_puts(b, "<section id=\"models\"><h2>4. Models</h2>");
    fit_words(b, m, 0);
    model_table(r, b, m, "model-params");
    if (r->has_spend) {
        csi_buf_puts(b, "<h3>Spend per purchase</h3>");
        fit_words(b, &r->spend, 0);
        if (r->spend_zero)
            csi_buf_printf(b, "<p class=\"cs-note\">%zu repeat %s with a mean value of 0 or "
                              "less (free orders, or returns netting the repeat days) %s left out "
                              "of the spend fit; %s CLV uses the mean spend the model gives.</p>",
                           r->spend_zero, r->spend_zero == 1 ? "buyer" : "buyers",
                           r->spend_zero == 1 ? "is" : "are", r->spend_zero == 1 ? "its" : "their");
        model_table(r, b, &r->spend, "spend-params");
    }
    int rc = CS_OK;
    csi_buf_puts(b, "<div class=\"cs-grid\">");
    static const char *const xl[CSI_PTX_MAX] = {"0", "1", "2", "3", "4", "5", "6", "7+"};
    csi_series ps[2] = {{.label = "actual", .y = r->ptx_actual, .n = CSI_PTX_MAX},
                        {.label = "model", .y = r->ptx_model, .n = CSI_PTX_MAX}};
    csi_chart cp = {.id = "period-transactions", .title = "Customers by number of repeat purchases",
                    .note = "How many customers made 0, 1, 2, ... repeat purchases in the "
                            "calibration period, and how many the model expects given each "
                            "customer's time since the first purchase: close bars mean the model "
                            "fits the spread of frequencies.",
                    .x_label = "repeat purchases (calibration period)", .y_label = "customers",
                    .x_kind = CSI_NUM_PLAIN, .y_kind = CSI_NUM_COUNT,
                    .x_min = NAN, .x_max = NAN, .y_min = 0, .y_max = NAN};
    rc = csi_svg_bars(b, &cp, xl, CSI_PTX_MAX, ps, r->has_ptx ? 2 : 1, 0, 0, err);
    if (rc == CS_OK && r->has_valid) {
        const cs_validation *v = &r->valid;
        double x[7], a[7], p[7];
        size_t n = 0;
        for (int k = 0; k < 7; k++)
            if (v->customers[k] > 0) {
                x[n] = k, a[n] = v->actual[k] / v->customers[k], p[n] = v->predicted[k] / v->customers[k];
                n++;
            }
        csi_series vs[2] = {{.label = "actual", .x = x, .y = a, .n = n, .markers = 1},
                            {.label = "model", .x = x, .y = p, .n = n, .style = 1, .markers = 1}};
        char yl[96], note[320];
        snprintf(yl, sizeof yl, "mean purchases in the holdout (%.4g %s)", v->duration, u);
        snprintf(note, sizeof note, "For customers with 0 to 6 repeat purchases in the calibration "
                                    "period: the mean number of purchases they made in the holdout "
                                    "period, and the number the model expected for them.");
        csi_chart cv = {.id = "holdout", .title = "Calibration vs holdout purchases",
                        .note = note, .x_label = "repeat purchases in the calibration period",
                        .y_label = yl, .x_kind = CSI_NUM_COUNT, .y_kind = CSI_NUM_PLAIN,
                        .x_min = NAN, .x_max = NAN, .y_min = 0, .y_max = NAN};
        rc = csi_svg_lines(b, &cv, vs, 2, NULL, 0, err);
    }
    if (rc == CS_OK && r->has_trk) {
        size_t n = r->trk_n;
        double *ca = malloc((n + 1) * sizeof *ca), *cm = malloc((n + 1) * sizeof *cm);
        if (!ca || !cm) {
            free(ca), free(cm);
            return csi_fail(err, CS_ENOMEM, "out of memory");
        }
        double sa = 0, sm = 0;
        for (size_t k = 0; k < n; k++) {
            sa += r->trk_actual[k], sm += r->trk_model[k];
            ca[k] = sa, cm[k] = sm;
        }
        /* the weekly chart shows whole weeks: a last week the end of
         * observation cuts short would dip (the running totals keep it) */
        size_t nw = n;
        if (nw > 1 && (r->as_of - (cs_day)r->trk_x[0] + 1) % 7 != 0)
            nw--;
        csi_series ws[2] = {{.label = "actual", .x = r->trk_x, .y = r->trk_actual, .n = nw},
                            {.label = "model", .x = r->trk_x, .y = r->trk_model, .n = nw,
                             .style = 1}};
        csi_series cs2[2] = {{.label = "actual", .x = r->trk_x, .y = ca, .n = n},
                             {.label = "model", .x = r->trk_x, .y = cm, .n = n, .style = 1}};
        csi_mark mk[1];
        size_t nmk = 0;
        char mt[64] = "calibration end";
        if (r->calibration_end != CS_DAY_NONE) {
            size_t k = (size_t)(r->calibration_end - (cs_day)r->trk_x[0]) / 7;
            if (k < n)
                mk[nmk++] = (csi_mark){r->trk_x[k], ca[k], mt};
        }
        const char *hold = r->calibration_end != CS_DAY_NONE
                               ? " The model is fitted on the weeks up to the calibration end; "
                                 "after it, the lines compare its forecast with what happened."
                               : "";
        char note[400];
        snprintf(note, sizeof note, "Repeat purchase days per week of the customers in the "
                                    "model, and the number the model expects given when each "
                                    "made a first purchase.%s", hold);
        csi_chart cw = {.id = "tracking-weekly", .title = "Repeat purchases per week",
                        .note = note, .x_label = "week (start)", .y_label = "repeat purchases",
                        .x_kind = CSI_NUM_DATE, .y_kind = CSI_NUM_COUNT,
                        .x_min = NAN, .x_max = NAN, .y_min = 0, .y_max = NAN};
        rc = csi_svg_lines(b, &cw, ws, 2, NULL, 0, err);
        csi_chart cc = {.id = "tracking-cumulative", .title = "Cumulative repeat purchases",
                        .note = "The running totals of the weekly chart: a model that tracks the "
                                "data keeps the two lines together, also past the calibration end.",
                        .x_label = "week (start)", .y_label = "repeat purchases to date",
                        .x_kind = CSI_NUM_DATE, .y_kind = CSI_NUM_COUNT,
                        .x_min = NAN, .x_max = NAN, .y_min = 0, .y_max = NAN};
        if (rc == CS_OK)
            rc = csi_svg_lines(b, &cc, cs2, 2, mk, nmk, err);
        csi_buf_puts(b, "<p class=\"cs-note cs-wide\">Repeat purchase days in all: ");
        figure(b, "tracking-actual", sa, CSI_NUM_COUNT, 0);
        csi_buf_puts(b, "; the model expected ");
        figure(b, "tracking-model", sm, CSI_NUM_PLAIN, 1);
        csi_buf_puts(b, ".</p>");
        free(ca), free(cm);
    }
    if (rc == CS_OK && r->has_pa) {
        char rl[CSI_PA_ROWS][16], cl[CSI_PA_COLS][24];
        const char *rows[CSI_PA_ROWS], *cols[CSI_PA_COLS];
        double val[CSI_PA_ROWS * CSI_PA_COLS];
        for (int i = 0; i < CSI_PA_ROWS; i++) { /* rows: most frequent at the top */
            int x = CSI_PA_ROWS - 1 - i;
            snprintf(rl[i], sizeof rl[i], "%d", x);
            rows[i] = rl[i];
            memcpy(val + i * CSI_PA_COLS, r->pa + x * CSI_PA_COLS, CSI_PA_COLS * sizeof(double));
        }
        for (int j = 0; j < CSI_PA_COLS; j++) {
            snprintf(cl[j], sizeof cl[j], "%.0f", r->pa_tx[j]);
            cols[j] = cl[j];
        }
        char xlab[96], note[256];
        snprintf(xlab, sizeof xlab, "recency: %s from first to last purchase", u);
        snprintf(note, sizeof note, "The probability that a customer is still active, for a "
                                    "customer first seen %.0f %s ago: high frequency with an old "
                                    "last purchase means likely gone.", r->pa_T, u);
        csi_chart ca = {.id = "p-alive", .title = "P(alive) by frequency and recency",
                        .note = note, .x_label = xlab, .y_label = "repeat purchases",
                        .x_min = NAN, .x_max = NAN, .y_min = NAN, .y_max = NAN};
        rc = csi_svg_heatmap(b, &ca, rows, CSI_PA_ROWS, cols, CSI_PA_COLS, val, NULL, "P(alive)",
                             CSI_NUM_PERCENT, err);
    }
    if (rc == CS_OK && r->has_clv) {
        static const char *const dl[10] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};
        csi_series cs[1] = {{.label = "mean CLV", .y = r->clv_decile_mean, .n = 10}};
        csi_chart cc = {.id = "clv-deciles", .title = "CLV by decile of customers",
                        .note = "Customers ranked by CLV (12 months, discounted) and cut into ten "
                                "groups of equal size, 1 the most valuable: the mean CLV of each.",
                        .x_label = "decile (1 = highest CLV)", .y_label = "mean CLV",
                        .x_kind = CSI_NUM_PLAIN, .y_kind = CSI_NUM_MONEY,
                        .x_min = NAN, .x_max = NAN, .y_min = NAN, .y_max = NAN};
        rc = csi_svg_bars(b, &cc, dl, 10, cs, 1, 0, 0, err);
    }
    csi_buf_puts(b, "</div>");
    if (rc == CS_OK && r->has_valid) {
        const cs_validation *v = &r->valid;
        csi_buf_puts(b, "<h3>Holdout check</h3><div class=\"cs-wrap\"><table id=\"holdout-table\">");
        thead(b, "repeat purchases (calibration)|#customers|#actual holdout purchases|"
                 "#predicted|#difference");
        for (int k = 0; k < CS_VALIDATE_ROWS; k++) {
            if (v->customers[k] <= 0 && k != CS_VALIDATE_ALL)
                continue;
            char l[16];
            snprintf(l, sizeof l, k == 7 ? "7+" : k == CS_VALIDATE_ALL ? "all" : "%d", k);
            csi_buf_puts(b, k == CS_VALIDATE_ALL ? "<tr id=\"holdout-all\">" : "<tr>");
            tds(b, l);
            tdx(b, v->customers[k], CSI_NUM_COUNT, 0);
            tdx(b, v->actual[k], CSI_NUM_PLAIN, 0);
            tdx(b, v->predicted[k], CSI_NUM_PLAIN, 1);
            td(b, v->predicted[k] - v->actual[k], CSI_NUM_PLAIN, 1);
            csi_buf_puts(b, "</tr>");
        }
        csi_buf_puts(b, "</tbody></table></div><p>Per customer: mean absolute error ");
        figure(b, "holdout-mae", v->mae, CSI_NUM_PLAIN, 3);
        csi_buf_puts(b, ", root mean square error ");
        figure(b, "holdout-rmse", v->rmse, CSI_NUM_PLAIN, 3);
        csi_buf_puts(b, ".</p>");
    }
    if (rc == CS_OK && r->has_clv) {
        csi_buf_puts(b, "<h3>Most valuable customers</h3><p>Total CLV of ");
        num(b, (double)r->clv_n, CSI_NUM_COUNT, 0);
        csi_buf_puts(b, " customers: ");
        figure(b, "clv-total", r->clv_total, CSI_NUM_MONEY, 2);
        csi_buf_puts(b, "; the top decile holds ");
        num(b, r->clv_decile_share[0], CSI_NUM_PERCENT, 1);
        csi_buf_puts(b, " of it.</p><div class=\"cs-wrap\"><table id=\"clv-top\">");
        char h[256];
        snprintf(h, sizeof h, "customer|#repeat purchases|#recency (%s)|#T (%s)|#P(alive)|"
                              "#expected purchases|#CLV", u, u);
        thead(b, h);
        for (size_t i = 0; i < r->ntop; i++) {
            const struct csi_top *t = &r->top[i];
            csi_buf_puts(b, "<tr>");
            tds(b, t->id);
            td(b, t->x, CSI_NUM_COUNT, 0);
            td(b, t->tx, CSI_NUM_PLAIN, 1);
            td(b, t->T, CSI_NUM_PLAIN, 1);
            td(b, t->p_alive, CSI_NUM_PERCENT, 1);
            td(b, t->expected, CSI_NUM_PLAIN, 2);
            tdx(b, t->clv, CSI_NUM_MONEY, 2);
            csi_buf_puts(b, "</tr>");
        }
        csi_buf_puts(b, "</tbody></table></div>");
    }
    csi_buf_puts(b, "</section>");
    return rc;
}

/* ---- 5. Churn ---- */

/* The evaluation of the model's churn score on the holdout, against days
 * since the last purchase (custseg-churn evaluate). */
static int churn_eval(const cs_report *r, csi_buf *b, cs_error *err)
{
    const cs_churn_eval *e = &r->ceval;
    csi_buf_puts(b, "<h3>Who stopped buying: the model against recency</h3><p>Of the ");
    num(b, (double)e->n, CSI_NUM_COUNT, 0);
    csi_buf_puts(b, " customers, ");
    num(b, e->model.base_rate, CSI_NUM_PERCENT, 1);
    csi_buf_puts(b, " made no purchase in the holdout. Ranked by the model's P(no purchase), a "
                    "customer who bought none comes before one who did with probability ");
    figure(b, "churn-auc", e->model.auc, CSI_NUM_PLAIN, 3);
    csi_buf_puts(b, " (AUC); ranked by days since the last purchase, ");
    figure(b, "churn-auc-baseline", e->baseline.auc, CSI_NUM_PLAIN, 3);
    csi_buf_puts(b, ".</p><div class=\"cs-grid\">");
    double x[10], pred[10], obs[10], bobs[10];
    const char *lab[10];
    static const char *const dl[10] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};
    for (int d = 0; d < 10; d++) {
        x[d] = d + 1;
        lab[d] = dl[d];
        pred[d] = e->model.dec_n[d] ? e->model.dec_pred[d] : NAN;
        obs[d] = e->model.dec_n[d] ? e->model.dec_obs[d] : NAN;
        bobs[d] = e->baseline.dec_n[d] ? e->baseline.dec_obs[d] : NAN;
    }
    (void)x;
    csi_series s[2] = {{.label = "model's mean P(no purchase)", .y = pred, .n = 10},
                       {.label = "observed share without a purchase", .y = obs, .n = 10}};
    csi_chart ch = {.id = "churn-deciles", .title = "Calibration by decile of the score",
                    .note = "Customers cut into ten groups of equal size by the model's "
                            "P(no purchase in the holdout), 1 the lowest: the mean score beside "
                            "the share that made no purchase. Equal bars mean honest "
                            "probabilities.",
                    .x_label = "decile of the score (10 = most likely to buy nothing)",
                    .y_label = "share", .x_kind = CSI_NUM_PLAIN, .y_kind = CSI_NUM_PERCENT,
                    .x_min = NAN, .x_max = NAN, .y_min = 0, .y_max = NAN};
    int rc = csi_svg_bars(b, &ch, lab, 10, s, 2, 0, 0, err);
    if (rc != CS_OK)
        return rc;
    cs_churn_eval_row rows[CS_CHURN_EVAL_ROWS];
    cs_churn_eval_rows(e, rows);
    csi_buf_puts(b, "<div class=\"cs-wrap\"><table id=\"churn-eval-table\">");
    thead(b, "metric|#model|#days since last");
    for (int i = 0; i < CS_CHURN_EVAL_ROWS; i++) {
        int count = !strcmp(rows[i].metric, "decile_edge_ties");
        csi_buf_puts(b, "<tr>");
        tds(b, rows[i].metric);
        tdx(b, rows[i].model, count ? CSI_NUM_COUNT : CSI_NUM_PLAIN, count ? 0 : 3);
        tdx(b, rows[i].baseline, count ? CSI_NUM_COUNT : CSI_NUM_PLAIN, count ? 0 : 3);
        csi_buf_puts(b, "</tr>");
    }
    csi_buf_puts(b, "</tbody></table></div></div>");
    (void)bobs;
    return CS_OK;
}

/* Contractual retention: the sBG fits of custseg-churn sbg (--sbg). */
static int sec_sbg(const cs_report *r, csi_buf *b, cs_error *err)
{
    const struct csi_sbg *all = r->sbg;
    size_t n = r->nsbg, ncoh = r->sbg_pooled ? n - 1 : n;
    const struct csi_sbg *pool = r->sbg_pooled ? &all[n - 1] : ncoh == 1 ? &all[0] : NULL;
    const char *pn = r->sbg_period >= 0 ? cs_period_name(r->sbg_period) : "period";
    csi_buf_puts(b, "<h3 id=\"sbg\">Contractual retention (shifted-beta-geometric)</h3>");
    if (pool && !pool->error) {
        int at = pool->observed;
        csi_buf_puts(b, "<p class=\"cs-lead\">");
        csi_buf_escapes(b, r->sbg_pooled ? "All cohorts pooled" : "The cohort");
        csi_buf_printf(b, ": of 100 new subscribers, ");
        figure(b, "sbg-survivors", 100 * pool->survival[at], CSI_NUM_PLAIN, 1);
        csi_buf_printf(b, " are expected to remain after %d %ss (the data's span) and ", at, pn);
        int far = pool->nsurv - 1;
        num(b, 100 * pool->survival[far], CSI_NUM_PLAIN, 1);
        csi_buf_printf(b, " after %d; the expected lifetime is ", far);
        if (isfinite(pool->lifetime)) {
            figure(b, "sbg-lifetime", pool->lifetime, CSI_NUM_PLAIN, 1);
            csi_buf_printf(b, " %ss.</p>", pn);
        } else
            csi_buf_puts(b, "unbounded (alpha &le; 1: a long tail of loyal subscribers).</p>");
    }
    /* the curves: up to 7 cohorts and the pooled fit (8 colours) */
    size_t shown = ncoh > 7 ? 7 : ncoh, ns = 0;
    csi_series sv[8];
    double *xs = NULL;
    int most = 0;
    for (size_t i = 0; i < n; i++)
        if (!all[i].error && all[i].nsurv > most)
            most = all[i].nsurv;
    int longest_obs = 0;
    for (size_t i = 0; i < n; i++)
        if (!all[i].error && all[i].observed > longest_obs)
            longest_obs = all[i].observed;
    if (most > 0 && !(xs = malloc((size_t)most * sizeof *xs)))
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (int t = 0; t < most; t++)
        xs[t] = t;
    for (size_t i = 0; i < shown; i++)
        if (!all[i].error)
            sv[ns++] = (csi_series){.label = all[i].name, .x = xs, .y = all[i].survival,
                                    .n = (size_t)all[i].nsurv, .markers = all[i].nsurv <= 40};
    if (r->sbg_pooled && !all[n - 1].error)
        sv[ns++] = (csi_series){.label = "pooled", .x = xs, .y = all[n - 1].survival,
                                .n = (size_t)all[n - 1].nsurv, .style = 1};
    char xl[64], note[400];
    snprintf(xl, sizeof xl, "%ss since the start", pn);
    snprintf(note, sizeof note,
             "The share of a cohort still subscribed after each %s under its sBG fit; the data "
             "cover %d %ss, the rest is projected%s%s.",
             pn, longest_obs, pn, r->sbg_pooled ? "; the dashed line is all cohorts pooled" : "",
             ncoh > shown ? " (the first 7 cohorts are drawn; the table lists all)" : "");
    csi_chart ch = {.id = "sbg-survival", .title = "Survival by cohort (sBG)", .note = note,
                    .x_label = xl, .y_label = "share still subscribed", .x_kind = CSI_NUM_COUNT,
                    .y_kind = CSI_NUM_PERCENT, .x_min = 0, .x_max = NAN, .y_min = 0, .y_max = 1};
    csi_buf_puts(b, "<div class=\"cs-grid\">");
    int rc = csi_svg_lines(b, &ch, sv, ns, NULL, 0, err);
    /* subscription records: what was observed beside the fit */
    if (rc == CS_OK && pool && !pool->error && pool->nkm > 1) {
        csi_series ko[2] = {
            {.label = "observed (Kaplan-Meier)", .x = xs, .y = pool->km,
             .n = (size_t)(pool->nkm < pool->nsurv ? pool->nkm : pool->nsurv),
             .markers = pool->nkm <= 40},
            {.label = "sBG fit", .x = xs, .y = pool->survival,
             .n = (size_t)(pool->nkm < pool->nsurv ? pool->nkm : pool->nsurv), .style = 1}};
        snprintf(note, sizeof note,
                 "The share of %s subscribers still active after each %s as observed "
                 "(Kaplan-Meier, counting those not yet that old as censored) and as the "
                 "fit has it: close lines mean the model describes the data.",
                 r->sbg_pooled ? "all" : "the", pn);
        csi_chart ck = {.id = "sbg-observed", .title = "Observed and fitted survival",
                        .note = note, .x_label = xl, .y_label = "share still subscribed",
                        .x_kind = CSI_NUM_COUNT, .y_kind = CSI_NUM_PERCENT, .x_min = 0,
                        .x_max = NAN, .y_min = 0, .y_max = 1};
        rc = csi_svg_lines(b, &ck, ko, 2, NULL, 0, err);
    }
    free(xs);
    if (rc != CS_OK)
        return rc;
    csi_buf_puts(b, "</div><div class=\"cs-wrap\"><table id=\"sbg-table\">");
    thead(b, r->sbg_records ? "cohort|#alpha|#s.e.|#beta|#s.e.|#expected lifetime|#DEL|"
                              "#subscribers|#active|#cancelled"
                            : "cohort|#alpha|#s.e.|#beta|#s.e.|#expected lifetime|#DEL");
    for (size_t i = 0; i < n; i++) {
        const struct csi_sbg *f = &all[i];
        csi_buf_puts(b, "<tr>");
        tds(b, r->sbg_pooled && i == n - 1 ? "all (pooled)" : f->name);
        if (f->error) {
            csi_buf_puts(b, "<td colspan=\"6\">not fitted: ");
            csi_buf_escapes(b, f->error);
            csi_buf_puts(b, "</td>");
        } else {
            tdx(b, f->alpha, CSI_NUM_PLAIN, 3);
            td(b, f->se_alpha, CSI_NUM_PLAIN, 3);
            tdx(b, f->beta, CSI_NUM_PLAIN, 3);
            td(b, f->se_beta, CSI_NUM_PLAIN, 3);
            if (isfinite(f->lifetime))
                tdx(b, f->lifetime, CSI_NUM_PLAIN, 1);
            else
                csi_buf_puts(b, "<td class=\"n\">unbounded</td>");
            tdx(b, f->del, CSI_NUM_PLAIN, 2);
        }
        if (r->sbg_records) {
            td(b, f->subscribers, CSI_NUM_COUNT, 0);
            td(b, f->active, CSI_NUM_COUNT, 0);
            td(b, f->cancelled, CSI_NUM_COUNT, 0);
        }
        csi_buf_puts(b, "</tr>");
    }
    csi_buf_printf(b, "</tbody></table><p class=\"cs-note\">Expected lifetime in %ss of a new "
                      "subscriber; DEL: discounted expected lifetime (periods, at the discount "
                      "rate of the fit). Standard errors from the inverse Hessian.</p></div>",
                   pn);
    return CS_OK;
}

static int sec_churn(const cs_report *r, csi_buf *b, cs_error *err)
{
    if (!r->has_rates && !r->has_ceval && !r->nsbg)
        return CS_OK;
    if (!r->has_rates) {
        csi_buf_puts(b, "<section id=\"churn\"><h2>5. Churn</h2>");
        int rc = r->has_ceval ? churn_eval(r, b, err) : CS_OK;
        if (rc == CS_OK && r->nsbg)
            rc = sec_sbg(r, b, err);
        csi_buf_puts(b, "</section>");
        return rc;
    }
    const cs_rates *q = &r->rates;
    const char *pn = cs_period_name(q->period);
    csi_buf_puts(b, "<section id=\"churn\"><h2>5. Churn</h2>");
    const cs_rates_summary *s = &r->rsum;
    if (s->known > 0) {
        char lo[16], hi[16];
        cs_period_label(q->first + s->kmin, q->period, lo);
        cs_period_label(q->first + s->kmax, q->period, hi);
        csi_buf_printf(b, "<p class=\"cs-lead\">Of the customers active in a %s, ", pn);
        figure(b, "churn-pooled", s->pooled, CSI_NUM_PERCENT, 1);
        csi_buf_printf(b, " made no purchase in the next one (%d %ss; lowest ", s->known, pn);
        num(b, s->rmin, CSI_NUM_PERCENT, 1);
        csi_buf_printf(b, " in %s, highest ", lo);
        num(b, s->rmax, CSI_NUM_PERCENT, 1);
        csi_buf_printf(b, " in %s).</p>", hi);
    }
    int np = q->nper;
    double *x = malloc(((size_t)np + 1) * sizeof *x), *y = malloc(((size_t)np + 1) * sizeof *y);
    double *al = malloc(((size_t)np + 1) * sizeof *al);
    if (!x || !y || !al) {
        free(x), free(y), free(al);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    size_t n = 0;
    for (int k = 0; k < np; k++)
        if (cs_rates_known(q, k)) {
            x[n] = cs_period_start(q->first + k, q->period);
            y[n] = cs_rates_rate(q, k);
            al[n] = r->opt.churn_alert;
            n++;
        }
    csi_series s2[2] = {{.label = "churn rate", .x = x, .y = y, .n = n, .markers = n <= 40},
                        {.label = "alert", .x = x, .y = al, .n = n, .style = 1}};
    char xl[64], note[256];
    snprintf(xl, sizeof xl, "%s (start)", pn);
    snprintf(note, sizeof note, "The share of the customers who bought in a %s that did not buy "
                                "in the next %s%s.", pn, pn,
             r->opt.churn_alert >= 0 ? "; the dashed line is the alert rate" : "");
    csi_chart ch = {.id = "churn-rates", .title = "Observed churn by period", .note = note,
                    .x_label = xl, .y_label = "churn rate", .x_kind = CSI_NUM_DATE,
                    .y_kind = CSI_NUM_PERCENT, .x_min = NAN, .x_max = NAN, .y_min = 0, .y_max = NAN};
    csi_buf_puts(b, "<div class=\"cs-grid\">");
    int rc = csi_svg_lines(b, &ch, s2, r->opt.churn_alert >= 0 ? 2 : 1, NULL, 0, err);
    free(x), free(y), free(al);
    /* cohort retention: the latest cohorts (at most 24), by periods since
     * their first */
    /* ages 1.. (age 0 is 100 % by definition and would flatten the colours) */
    int c0 = np > 24 ? np - 24 : 0, ncoh = 0;
    int nage = np - 1 < CSI_COHORT_AGES ? np - 1 : CSI_COHORT_AGES;
    char (*rl)[16] = malloc(24 * sizeof *rl);
    char (*cl)[16] = malloc(CSI_COHORT_AGES * sizeof *cl);
    const char *rows[24], *cols[CSI_COHORT_AGES];
    double *val = malloc(24 * CSI_COHORT_AGES * sizeof *val);
    if (!rl || !cl || !val) {
        free(rl), free(cl), free(val);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    for (int c = c0; c < np; c++) {
        if (!q->cohort_size[c])
            continue;
        cs_period_label(q->first + c, q->period, rl[ncoh]);
        rows[ncoh] = rl[ncoh];
        for (int a = 0; a < nage; a++)
            val[ncoh * nage + a] = c + a + 1 < np ? cs_rates_share(q, c, c + a + 1) : NAN;
        ncoh++;
    }
    for (int a = 0; a < nage; a++) {
        snprintf(cl[a], 16, "%d", a + 1);
        cols[a] = cl[a];
    }
    char yl[64], xl2[64], note2[256];
    snprintf(yl, sizeof yl, "cohort (first %s)", pn);
    snprintf(xl2, sizeof xl2, "%ss since the first purchase", pn);
    snprintf(note2, sizeof note2, "Each row is the customers who first bought in that %s; a cell "
                                  "is the share of them who bought in the %s that many %ss after "
                                  "their first.", pn, pn, pn);
    csi_chart cc = {.id = "cohorts", .title = "Cohort retention", .note = note2,
                    .x_label = xl2, .y_label = yl, .x_min = NAN, .x_max = NAN, .y_min = NAN,
                    .y_max = NAN, .height = 120 + 22 * ncoh};
    /* whole percentages fit the small cells */
    size_t ncell = (size_t)ncoh * (size_t)nage;
    char (*txt)[16] = malloc((ncell + 1) * sizeof *txt);
    const char **tp = malloc((ncell + 1) * sizeof *tp);
    if (!txt || !tp)
        rc = csi_fail(err, CS_ENOMEM, "out of memory");
    for (size_t i = 0; rc == CS_OK && i < ncell; i++) {
        tp[i] = NULL;
        if (isfinite(val[i])) {
            snprintf(txt[i], 16, "%d%%", (int)lround(100 * val[i]));
            tp[i] = txt[i];
        }
    }
    if (rc == CS_OK && ncoh > 0 && nage > 0)
        rc = csi_svg_heatmap(b, &cc, rows, (size_t)ncoh, cols, (size_t)nage, val, tp,
                             "share active", CSI_NUM_PERCENT, err);
    free(rl), free(cl), free(val), free(txt), free(tp);
    csi_buf_puts(b, "</div>");
    if (rc == CS_OK && r->has_ceval)
        rc = churn_eval(r, b, err);
    if (rc == CS_OK && r->nsbg)
        rc = sec_sbg(r, b, err);
    csi_buf_puts(b, "</section>");
    return rc;
}

/* ---- The page ---- */

int cs_report_write_html(const cs_report *r, FILE *fp, cs_error *err)
{
    csi_buf b;
    csi_buf_init(&b);
    csi_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    csi_buf_printf(&b, "<meta name=\"generator\" content=\"custseg %s\"><title>", cs_version());
    csi_buf_escapes(&b, r->title);
    csi_buf_puts(&b, "</title><style>");
    csi_buf_puts(&b, style);
    csi_buf_puts(&b, "</style></head>\n<body><header><h1>");
    csi_buf_escapes(&b, r->title);
    csi_buf_puts(&b, "</h1><p class=\"cs-sub\">");
    if (r->source) {
        csi_buf_escapes(&b, r->source);
        csi_buf_puts(&b, " &middot; ");
    }
    char d1[11], d2[11];
    csi_buf_printf(&b, "%s to %s</p></header>\n<nav>", date_text(r->first_day, d1),
                   date_text(r->last_day, d2));
    csi_buf_puts(&b, "<a href=\"#overview\">Overview</a>");
    if (r->has_conc || r->has_pyr)
        csi_buf_puts(&b, "<a href=\"#concentration\">Concentration</a>");
    if (r->has_rfm)
        csi_buf_puts(&b, "<a href=\"#rfm\">RFM</a>");
    if (r->has_model)
        csi_buf_puts(&b, "<a href=\"#models\">Models</a>");
    if (r->has_rates || r->has_ceval || r->nsbg)
        csi_buf_puts(&b, "<a href=\"#churn\">Churn</a>");
    csi_buf_puts(&b, "</nav>\n<main>");
    sec_overview(r, &b);
    int rc = sec_concentration(r, &b, err);
    if (rc == CS_OK)
        rc = sec_rfm(r, &b, err);
    if (rc == CS_OK)
        rc = sec_models(r, &b, err);
    if (rc == CS_OK)
        rc = sec_churn(r, &b, err);
    csi_buf_printf(&b, "</main>\n<footer>Made by custseg %s", cs_version());
    if (r->command) {
        csi_buf_puts(&b, " with <code>");
        csi_buf_escapes(&b, r->command);
        csi_buf_puts(&b, "</code>");
    }
    csi_buf_puts(&b, ".</footer></body></html>\n");
    if (rc == CS_OK)
        rc = csi_buf_ok(&b, err);
    if (rc == CS_OK && (fwrite(b.data, 1, b.len, fp) != b.len || ferror(fp)))
        rc = csi_fail(err, CS_EIO, "cannot write the report");
    csi_buf_free(&b);
    return rc;
}
