/* Heat maps: cells coloured on a sequential single-hue scale with their
 * values, row and column labels and the scale as a legend. */
#include "report/svg-internal.h"
#include "util/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct rgb {
    double r, g, b;
} rgb;

/* ColorBrewer's sequential Blues (9 classes): light to dark, one hue. */
static const unsigned blues[9] = {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6,
                                  0x4292c6, 0x2171b5, 0x08519c, 0x08306b};

static rgb scale_colour(double t)
{
    if (!(t >= 0))
        t = 0;
    if (t > 1)
        t = 1;
    /* from the second class on, so the smallest value is not white */
    double pos = 1 + t * 7;
    int i = (int)floor(pos);
    if (i >= 8)
        i = 7;
    double f = pos - i;
    unsigned a = blues[i], c = blues[i + 1];
    rgb o = {((a >> 16) & 255) * (1 - f) + ((c >> 16) & 255) * f,
             ((a >> 8) & 255) * (1 - f) + ((c >> 8) & 255) * f,
             (a & 255) * (1 - f) + (c & 255) * f};
    return o;
}

static void put_colour(csi_buf *b, rgb c)
{
    csi_buf_printf(b, "#%02x%02x%02x", (unsigned)lround(c.r), (unsigned)lround(c.g),
                   (unsigned)lround(c.b));
}

static double lin(double c)
{
    c /= 255;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* Dark text on light cells, light on dark (WCAG relative luminance). */
static const char *text_on(rgb c)
{
    double l = 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
    return l > 0.179 ? "#111111" : "#ffffff";
}

#define LEGEND_STEPS 5

int csi_svg_heatmap(csi_buf *b, const csi_chart *c, const char *const *row_labels, size_t nrows,
                    const char *const *col_labels, size_t ncols, const double *value,
                    const char *const *cell_text, const char *value_label, int value_kind,
                    cs_error *err)
{
    int rc = csi_draw_check(b, c, err);
    if (rc != CS_OK)
        return rc;
    if ((nrows && ncols && !value))
        return csi_fail(err, CS_EINVAL, "chart '%.100s': the cells' values are missing", c->title);
    if (nrows > 10000 || ncols > 10000)
        return csi_fail(err, CS_EINVAL, "chart '%.100s': %zu x %zu cells are too many to draw",
                        c->title, nrows, ncols);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < nrows * ncols; i++)
        if (isfinite(value[i])) {
            lo = fmin(lo, value[i]);
            hi = fmax(hi, value[i]);
        }
    if (!(lo <= hi))
        return csi_draw_no_data(b, c, "heatmap", err);

    csi_draw_frame f = {0};
    csi_draw_size(c, &f.w, &f.h);
    size_t rlong = 0, clong = 0;
    for (size_t r = 0; r < nrows; r++)
        if (row_labels && csi_draw_chars(row_labels[r]) > rlong)
            rlong = csi_draw_chars(row_labels[r]);
    for (size_t k = 0; k < ncols; k++)
        if (col_labels && csi_draw_chars(col_labels[k]) > clong)
            clong = csi_draw_chars(col_labels[k]);
    size_t rbudget = 18;
    size_t rshown = rlong < rbudget ? rlong : rbudget;
    double legend_w = 96;
    f.x0 = PAD + (c->y_label && *c->y_label ? FONT + 8 : 0) + (double)rshown * SMALL * CHAR_W + 8;
    f.x1 = f.w - PAD - legend_w;
    f.y0 = PAD + 18;
    f.y1 = f.h - PAD - (c->x_label && *c->x_label ? FONT + 8 : 0) - 20;
    csi_draw_fit(&f);
    double cw = (f.x1 - f.x0) / (double)ncols, ch = (f.y1 - f.y0) / (double)nrows;
    size_t cbudget = csi_draw_budget(cw - 2, SMALL);

    csi_draw_figure_open(b, c, "heatmap");
    csi_draw_svg_open(b, c, &f);
    csi_draw_axis_titles(b, &f, c->x_label, c->y_label);

    char vs[64];
    csi_ticks lt;
    int have_lt = csi_nice_ticks(lo, hi, LEGEND_STEPS + 1, value_kind, &lt) == CS_OK;
    int dec = have_lt ? lt.decimals : 2;
    double fs = fmin(FONT, ch * 0.45);
    csi_buf_puts(b, "<g class=\"cs-cells\" stroke=\"#ffffff\" stroke-width=\"1\">\n");
    for (size_t r = 0; r < nrows; r++)
        for (size_t k = 0; k < ncols; k++) {
            double v = value[r * ncols + k];
            double x = f.x0 + cw * (double)k, y = f.y0 + ch * (double)r;
            rgb col = {244, 244, 244};
            int empty = !isfinite(v);
            if (!empty)
                col = scale_colour(hi > lo ? (v - lo) / (hi - lo) : 0.5);
            csi_buf_printf(b, "<rect class=\"cs-cell%s\"", empty ? " cs-empty" : "");
            csi_draw_attr(b, "x", x);
            csi_draw_attr(b, "y", y);
            csi_draw_attr(b, "width", cw);
            csi_draw_attr(b, "height", ch);
            csi_buf_puts(b, " fill=\"");
            put_colour(b, col);
            csi_buf_puts(b, "\"><title>");
            if (row_labels && row_labels[r])
                csi_buf_escapes(b, row_labels[r]);
            csi_buf_puts(b, " \xc2\xb7 ");
            if (col_labels && col_labels[k])
                csi_buf_escapes(b, col_labels[k]);
            csi_buf_puts(b, ": ");
            const char *txt = cell_text ? cell_text[r * ncols + k] : NULL;
            if (!cell_text && !empty)
                txt = csi_format_human(vs, sizeof vs, v, value_kind, dec);
            csi_buf_escapes(b, empty ? "no value"
                                     : csi_format_human(vs, sizeof vs, v, value_kind, dec));
            if (cell_text && cell_text[r * ncols + k]) {
                csi_buf_puts(b, " (");
                csi_buf_escapes(b, cell_text[r * ncols + k]);
                csi_buf_puts(b, ")");
            }
            csi_buf_puts(b, "</title></rect>\n");
            if (txt && *txt && fs >= 7 && csi_draw_text_width(txt, fs) <= cw - 3) {
                csi_buf_printf(b,
                               "<text class=\"cs-cell-text\" stroke=\"none\" "
                               "text-anchor=\"middle\" fill=\"%s\"",
                               text_on(col));
                csi_draw_attr(b, "x", x + cw / 2);
                csi_draw_attr(b, "y", y + ch / 2 + fs * 0.35);
                if (fs < FONT)
                    csi_draw_attr(b, "font-size", fs);
                csi_buf_puts(b, ">");
                csi_buf_escapes(b, txt);
                csi_buf_puts(b, "</text>\n");
            }
        }
    csi_buf_puts(b, "</g>\n");

    /* row labels on the left, column labels below; every step-th one
     * when the cells are too small for all (each cell's title names it) */
    size_t rstep = ch >= 12 ? 1 : (size_t)ceil(12 / ch), cstep = 1;
    if (cbudget < 3 && clong > cbudget) {
        cbudget = clong < 6 ? clong : 6;
        cstep = (size_t)ceil(((double)cbudget * SMALL * CHAR_W + 4) / cw);
    }
    csi_buf_puts(b, "<g class=\"cs-category\" font-size=\"11\" fill=\"#222222\">\n");
    for (size_t r = 0; row_labels && r < nrows; r += rstep)
        if (row_labels[r])
            csi_draw_text(b, f.x0 - 5, f.y0 + ch * ((double)r + 0.5) + 4, "cs-cat",
                          " text-anchor=\"end\"", row_labels[r], rbudget);
    for (size_t k = 0; col_labels && k < ncols; k += cstep)
        if (col_labels[k])
            csi_draw_text(b, f.x0 + cw * ((double)k + 0.5), f.y1 + 15, "cs-cat",
                          " text-anchor=\"middle\"", col_labels[k], cbudget);
    csi_buf_puts(b, "</g>\n");

    /* the colour scale: steps from the largest (top) to the smallest */
    double lx = f.x1 + 16, ly = f.y0 + 4, sh = fmin(22, (f.y1 - f.y0 - 8) / LEGEND_STEPS);
    csi_buf_puts(b, "<g class=\"cs-legend cs-scale\" font-size=\"11\" fill=\"#222222\">\n");
    /* its title over the steps, or ending at the right edge when longer */
    const char *vl = value_label ? value_label : "";
    if (csi_draw_text_width(vl, SMALL) <= f.w - PAD - lx)
        csi_draw_text(b, lx, f.y0 - 8, "cs-legend-title", NULL, vl, 100);
    else
        csi_draw_text(b, f.w - PAD, f.y0 - 8, "cs-legend-title", " text-anchor=\"end\"", vl,
                      csi_draw_budget(legend_w + 80, SMALL));
    for (int i = 0; i < (hi > lo ? LEGEND_STEPS : 1); i++) {
        double tq = 1 - (i + 0.5) / LEGEND_STEPS;
        csi_buf_puts(b, "<rect");
        csi_draw_attr(b, "x", lx);
        csi_draw_attr(b, "y", ly + sh * i);
        csi_draw_attr(b, "width", 14);
        csi_draw_attr(b, "height", sh);
        csi_buf_puts(b, " fill=\"");
        put_colour(b, scale_colour(hi > lo ? tq : 0.5));
        csi_buf_puts(b, "\"/>\n");
    }
    /* the bounds of the steps: largest at the top */
    int nlab = hi > lo ? LEGEND_STEPS + 1 : 1;
    for (int i = 0; i < nlab; i++) {
        double v = hi > lo ? hi - (hi - lo) * i / LEGEND_STEPS : lo;
        double y = hi > lo ? ly + sh * i : ly + sh / 2;
        csi_buf_puts(b, "<text");
        csi_draw_attr(b, "x", lx + 19);
        csi_draw_attr(b, "y", y + 4);
        csi_buf_puts(b, ">");
        csi_buf_puts(b, csi_format_human(vs, sizeof vs, v, value_kind, dec + (hi > lo ? 1 : 0)));
        csi_buf_puts(b, "</text>\n");
    }
    csi_buf_puts(b, "</g>\n");
    csi_draw_svg_close(b);
    csi_draw_figure_close(b, c);
    return csi_buf_ok(b, err);
}
