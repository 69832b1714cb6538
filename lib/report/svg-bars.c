/* Bar charts: grouped, stacked, vertical or horizontal, with negative
 * values, value labels and category labels that fit. */
#include "report/svg-internal.h"
#include "util/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double bar_value(const csi_series *s, size_t cat)
{
    return s->y && cat < s->n ? s->y[cat] : NAN;
}

/* Where series k's bar v of category cat starts when stacked: the sum of
 * the earlier series' values of the same sign. */
static double stack_base(const csi_series *s, size_t k, size_t cat, double v)
{
    double base = 0;
    for (size_t q = 0; q < k; q++) {
        double u = bar_value(&s[q], cat);
        if (isfinite(u) && (u > 0) == (v > 0))
            base += u;
    }
    return base;
}

/* A value for a bar's label and title: one decimal more than the axis
 * ticks show (at most 2); money in whole units when the ticks are. */
static const char *value_text(char *buf, size_t size, double v, int kind, int tick_decimals)
{
    int dec = tick_decimals + 1 < 2 ? tick_decimals + 1 : 2;
    if (kind == CSI_NUM_MONEY && tick_decimals == 0)
        return csi_format_human(buf, size, v, CSI_NUM_PLAIN, 0);
    return csi_format_human(buf, size, v, kind, dec);
}

int csi_svg_bars(csi_buf *b, const csi_chart *c, const char *const *labels, size_t ncat,
                 const csi_series *s, size_t ns, int stacked, int horizontal, cs_error *err)
{
    int rc = csi_draw_check(b, c, err);
    if (rc != CS_OK)
        return rc;
    if ((ns && !s) || (ncat && !labels))
        return csi_fail(err, CS_EINVAL, "chart '%.100s': categories or series missing", c->title);
    double lo = 0, hi = 0;
    size_t bars = 0;
    for (size_t j = 0; j < ncat; j++) {
        double pos = 0, neg = 0;
        for (size_t k = 0; k < ns; k++) {
            double v = bar_value(&s[k], j);
            if (!isfinite(v))
                continue;
            bars++;
            if (stacked) {
                if (v > 0)
                    pos += v;
                else
                    neg += v;
            } else {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
        if (stacked) {
            lo = fmin(lo, neg);
            hi = fmax(hi, pos);
        }
    }
    if (bars == 0)
        return csi_draw_no_data(b, c, "bars", err);
    /* value labels on the bars when there are few */
    int values = bars <= 24;
    if (values && !stacked) { /* room for the labels beyond the longest bars */
        double span = hi - lo;
        if (hi > 0 && isnan(c->y_max))
            hi += span * (horizontal ? 0.08 : 0.06);
        if (lo < 0 && isnan(c->y_min))
            lo -= span * (horizontal ? 0.08 : 0.06);
    }

    csi_draw_frame f = {0};
    csi_draw_size(c, &f.w, &f.h);
    int show_legend = csi_draw_labelled(s, ns) > 1;
    int rows = show_legend ? csi_draw_legend(NULL, s, ns, SWATCH_BOX, LEGEND_X, f.w - PAD, 0) : 0;
    f.y0 = PAD + 6 + rows * LEGEND_ROW;
    double cat_title = c->x_label && *c->x_label ? FONT + 8 : 0;
    double val_title = c->y_label && *c->y_label ? FONT + 8 : 0;
    size_t longest = 0;
    for (size_t j = 0; j < ncat; j++)
        if (csi_draw_chars(labels[j]) > longest)
            longest = csi_draw_chars(labels[j]);
    csi_ticks t;
    size_t budget;
    int rotate = 0;
    if (!horizontal) {
        f.x1 = f.w - PAD - 4;
        double band_guess = (f.w - 80) / (double)ncat;
        budget = csi_draw_budget(band_guess - 4, SMALL);
        if (longest > budget && budget < 10) {
            rotate = 1;
            budget = 18;
        }
        size_t shown = longest < budget ? longest : budget;
        double label_h = rotate ? (double)shown * SMALL * CHAR_W * 0.64 + 14 : 18;
        f.y1 = f.h - PAD - cat_title - label_h - 4;
        csi_draw_fit(&f);
        rc = csi_draw_axis_ticks(lo, hi, c->y_min, c->y_max, f.y1 - f.y0, c->y_kind, 0, &t, &f.vlo,
                                 &f.vhi);
        f.x0 = PAD + val_title + (rc == CS_OK ? csi_draw_ticks_width(&t, c->y_kind) : 0) + 8;
        if (rotate) { /* the first turned label reaches left of its band */
            double n2 = 2.0 * (double)ncat, reach = (double)shown * SMALL * CHAR_W * 0.77 + 10;
            if (f.x0 + (f.x1 - f.x0) / n2 < reach)
                f.x0 = (reach - f.x1 / n2) / (1 - 1 / n2);
        }
        csi_draw_fit(&f);
    } else {
        f.y1 = f.h - PAD - val_title - 22;
        budget = csi_draw_budget(f.w * 0.32, SMALL);
        size_t shown = longest < budget ? longest : budget;
        f.x0 = PAD + cat_title + (double)shown * SMALL * CHAR_W + 8;
        f.x1 = f.w - PAD - 14;
        csi_draw_fit(&f);
        rc = csi_draw_axis_ticks(lo, hi, c->y_min, c->y_max, f.x1 - f.x0, c->y_kind, 1, &t, &f.dlo,
                                 &f.dhi);
        f.vlo = f.dlo;
        f.vhi = f.dhi;
    }
    if (rc != CS_OK)
        return csi_fail(err, rc, "chart '%.100s': the value bounds are not finite numbers",
                        c->title);

    csi_draw_figure_open(b, c, stacked ? "bars cs-stacked" : "bars");
    csi_draw_svg_open(b, c, &f);
    csi_draw_frame vf = f; /* the value axis where x_axis and y_axis expect it */
    if (!horizontal) {
        csi_draw_y_axis(b, &f, &t, c->y_kind);
        csi_draw_axis_titles(b, &f, c->x_label, c->y_label);
    } else {
        csi_draw_x_axis(b, &vf, &t, c->y_kind, 1);
        csi_draw_axis_titles(b, &f, c->y_label, c->x_label);
    }
    if (show_legend)
        csi_draw_legend(b, s, ns, SWATCH_BOX, LEGEND_X, f.w - PAD, PAD + 12);

    double len = horizontal ? f.y1 - f.y0 : f.x1 - f.x0;
    double band = len / (double)ncat;
    double group = band * (ns > 1 && !stacked ? 0.84 : 0.72);
    double bw = stacked ? group : group / (double)(ns ? ns : 1);
    /* the value axis in picture coordinates */
    double v0 = horizontal ? f.x0 : f.y1, v1 = horizontal ? f.x1 : f.y0;
    double zero = csi_draw_map(0, f.vlo, f.vhi, v0, v1);
    if (zero < fmin(v0, v1))
        zero = fmin(v0, v1);
    if (zero > fmax(v0, v1))
        zero = fmax(v0, v1);
    char vs[64];
    csi_buf_puts(b, "<g class=\"cs-bars\">\n");
    for (size_t k = 0; k < ns; k++) {
        csi_buf_printf(b, "<g class=\"cs-series-%zu\" fill=\"%s\">\n", k % 8, csi_draw_colour(k));
        for (size_t j = 0; j < ncat; j++) {
            double v = bar_value(&s[k], j);
            if (!isfinite(v))
                continue;
            double base = stacked ? stack_base(s, k, j, v) : 0;
            double a = csi_draw_map(base, f.vlo, f.vhi, v0, v1),
                   e = csi_draw_map(base + v, f.vlo, f.vhi, v0, v1);
            double lo_v = fmax(fmin(a, e), fmin(v0, v1)), hi_v = fmin(fmax(a, e), fmax(v0, v1));
            double off = (horizontal ? f.y0 : f.x0) + band * (double)j + (band - group) / 2 +
                         (stacked ? 0 : bw * (double)k);
            csi_buf_puts(b, "<rect class=\"cs-bar\"");
            if (horizontal) {
                csi_draw_attr(b, "x", lo_v);
                csi_draw_attr(b, "y", off);
                csi_draw_attr(b, "width", hi_v - lo_v);
                csi_draw_attr(b, "height", bw);
            } else {
                csi_draw_attr(b, "x", off);
                csi_draw_attr(b, "y", lo_v);
                csi_draw_attr(b, "width", bw);
                csi_draw_attr(b, "height", hi_v - lo_v);
            }
            csi_buf_puts(b, "><title>");
            if (s[k].label) {
                csi_buf_escapes(b, s[k].label);
                csi_buf_puts(b, ", ");
            }
            csi_buf_escapes(b, labels[j]);
            csi_buf_puts(b, ": ");
            csi_buf_puts(b, value_text(vs, sizeof vs, v, c->y_kind, t.decimals));
            csi_buf_puts(b, "</title></rect>\n");
        }
        csi_buf_puts(b, "</g>\n");
    }
    csi_buf_puts(b, "</g>\n");

    /* value labels: beyond the bars' ends, all or none, or inside the
     * stacked segments that have room */
    if (values && !stacked)
        for (size_t k = 0; k < ns && values; k++)
            for (size_t j = 0; j < ncat && values; j++) {
                double v = bar_value(&s[k], j);
                if (!isfinite(v))
                    continue;
                double tw =
                    csi_draw_text_width(value_text(vs, sizeof vs, v, c->y_kind, t.decimals), 10);
                double e = csi_draw_map(v, f.vlo, f.vhi, v0, v1);
                if (horizontal)
                    values = bw >= 9 && (v >= 0 ? e + 3 + tw <= f.w - 2 : e - 3 - tw >= f.x0);
                else
                    values = tw <= bw - 1 && (v >= 0 ? e - 14 >= 0 : e + 12 <= f.y1 + 2);
            }
    if (values) {
        csi_buf_puts(b, "<g class=\"cs-value\" font-size=\"10\" fill=\"#222222\">\n");
        for (size_t k = 0; k < ns; k++)
            for (size_t j = 0; j < ncat; j++) {
                double v = bar_value(&s[k], j);
                if (!isfinite(v))
                    continue;
                value_text(vs, sizeof vs, v, c->y_kind, t.decimals);
                double tw = csi_draw_text_width(vs, 10);
                double base = stacked ? stack_base(s, k, j, v) : 0;
                double a = csi_draw_map(base, f.vlo, f.vhi, v0, v1),
                       e = csi_draw_map(base + v, f.vlo, f.vhi, v0, v1);
                double mid = (horizontal ? f.y0 : f.x0) + band * (double)j + (band - group) / 2 +
                             (stacked ? 0 : bw * (double)k) + bw / 2;
                double seg = fabs(e - a);
                if (stacked) {
                    if ((horizontal ? tw + 4 : 14) > seg || (horizontal ? 14 : tw + 2) > bw)
                        continue; /* no room inside */
                    double cpos = (a + e) / 2;
                    const char *fill =
                        k % 8 == 6 || k % 8 == 0 || k % 8 == 3 ? "#ffffff" : "#111111";
                    csi_buf_printf(b, "<text text-anchor=\"middle\" fill=\"%s\"", fill);
                    csi_draw_attr(b, "x", horizontal ? cpos : mid);
                    csi_draw_attr(b, "y", horizontal ? mid + 3.5 : cpos + 3.5);
                } else {
                    int up = v >= 0;
                    if (horizontal) {
                        csi_buf_printf(b, "<text text-anchor=\"%s\"", up ? "start" : "end");
                        csi_draw_attr(b, "x", up ? e + 3 : e - 3);
                        csi_draw_attr(b, "y", mid + 3.5);
                    } else {
                        csi_buf_puts(b, "<text text-anchor=\"middle\"");
                        csi_draw_attr(b, "x", mid);
                        csi_draw_attr(b, "y", up ? e - 3 : e + 11);
                    }
                }
                csi_buf_puts(b, ">");
                csi_buf_puts(b, vs);
                csi_buf_puts(b, "</text>\n");
            }
        csi_buf_puts(b, "</g>\n");
    }

    /* the axis lines (the zero line over the bars) and the categories */
    csi_buf_puts(b, "<g class=\"cs-axis\" stroke=\"#333333\" stroke-width=\"1\">\n");
    if (horizontal) {
        csi_draw_line(b, NULL, zero, f.y0, zero, f.y1);
        csi_draw_line(b, NULL, f.x0, f.y1, f.x1, f.y1);
    } else {
        csi_draw_line(b, NULL, f.x0, zero, f.x1, zero);
        csi_draw_line(b, NULL, f.x0, f.y0, f.x0, f.y1);
    }
    csi_buf_puts(b, "</g>\n");
    csi_buf_puts(b, "<g class=\"cs-category\" font-size=\"11\" fill=\"#222222\">\n");
    /* every step-th label when the bands are narrower than a line of text
     * (each bar's title names its category) */
    size_t step = horizontal || rotate ? (band >= 13 ? 1 : (size_t)ceil(13 / band)) : 1;
    for (size_t j = 0; j < ncat; j += step) {
        double mid = (horizontal ? f.y0 : f.x0) + band * ((double)j + 0.5);
        const char *lab = labels[j] ? labels[j] : "";
        if (horizontal) {
            csi_draw_text(b, f.x0 - 6, mid + 4, "cs-cat", " text-anchor=\"end\"", lab, budget);
        } else if (!rotate) {
            csi_draw_text(b, mid, f.y1 + 15, "cs-cat", " text-anchor=\"middle\"", lab, budget);
        } else {
            csi_buf_puts(b, "<text class=\"cs-cat\" x=\"0\" y=\"0\" text-anchor=\"end\" "
                            "transform=\"translate(");
            csi_draw_num(b, mid + 3);
            csi_buf_puts(b, " ");
            csi_draw_num(b, f.y1 + 10);
            csi_buf_puts(b, ") rotate(-40)\">");
            if (csi_draw_cut(b, lab, budget)) {
                csi_buf_puts(b, "<title>");
                csi_buf_escapes(b, lab);
                csi_buf_puts(b, "</title>");
            }
            csi_buf_puts(b, "</text>\n");
        }
    }
    csi_buf_puts(b, "</g>\n");
    csi_draw_svg_close(b);
    csi_draw_figure_close(b, c);
    return csi_buf_ok(b, err);
}
