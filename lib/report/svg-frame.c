/* The frame every SVG chart shares: the figure around it, numbers and text
 * written without the locale, axes with nice ticks, and the legend.
 * Presentation is in class names (cs-*) for the report's stylesheet, with
 * default attributes so that a chart reads without it. Coordinates are
 * printed with one decimal by integer arithmetic. */
#include "report/svg-internal.h"
#include "util/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NO_DATA "No data for this chart."

/* Okabe-Ito, in an order whose first colours read well as lines on white. */
static const char *const palette[8] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                       "#CC79A7", "#56B4E9", "#000000", "#F0E442"};

const char *csi_draw_colour(size_t i)
{
    return palette[i % 8];
}

/* A coordinate or length: at most one decimal. */
void csi_draw_num(csi_buf *b, double v)
{
    if (!isfinite(v))
        v = 0;
    if (v > 1e7)
        v = 1e7;
    if (v < -1e7)
        v = -1e7;
    long r = lround(v * 10);
    const char *sign = "";
    if (r < 0) {
        sign = "-";
        r = -r;
    }
    if (r % 10)
        csi_buf_printf(b, "%s%ld.%ld", sign, r / 10, r % 10);
    else
        csi_buf_printf(b, "%s%ld", sign, r / 10);
}

void csi_draw_attr(csi_buf *b, const char *name, double v)
{
    csi_buf_printf(b, " %s=\"", name);
    csi_draw_num(b, v);
    csi_buf_puts(b, "\"");
}

void csi_draw_line(csi_buf *b, const char *cls, double x1, double y1, double x2, double y2)
{
    csi_buf_puts(b, "<line");
    if (cls)
        csi_buf_printf(b, " class=\"%s\"", cls);
    csi_draw_attr(b, "x1", x1);
    csi_draw_attr(b, "x2", x2);
    csi_draw_attr(b, "y1", y1);
    csi_draw_attr(b, "y2", y2);
    csi_buf_puts(b, "/>\n");
}

/* Code points in s (bytes that do not continue a UTF-8 sequence). */
size_t csi_draw_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* The width of s in a sans-serif font of size fs, estimated. */
double csi_draw_text_width(const char *s, double fs)
{
    return (double)csi_draw_chars(s) * fs * CHAR_W;
}

size_t csi_draw_budget(double width, double fs)
{
    double n = width / (fs * CHAR_W);
    return n >= 1 ? (n < 10000 ? (size_t)n : 10000) : 0;
}

void csi_draw_fit(csi_draw_frame *f)
{
    if (f->x1 - f->x0 < 40)
        f->x0 = f->x1 - 40;
    if (f->y1 - f->y0 < 30)
        f->y0 = f->y1 - 30;
}

/* s escaped, cut to `budget` characters with an ellipsis; returns 1 when
 * it was cut. */
int csi_draw_cut(csi_buf *b, const char *s, size_t budget)
{
    if (!s)
        return 0;
    if (budget < 2)
        budget = 2;
    if (csi_draw_chars(s) <= budget) {
        csi_buf_escapes(b, s);
        return 0;
    }
    size_t n = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && ++n == budget)
            break;
    }
    csi_buf_escape(b, s, i);
    csi_buf_puts(b, ELLIPSIS);
    return 1;
}

/* <text ...>label</text>, cut to budget characters with the whole text in
 * a <title> child when cut. `extra`: attributes after the position. */
void csi_draw_text(csi_buf *b, double x, double y, const char *cls, const char *extra,
                   const char *s, size_t budget)
{
    csi_buf_printf(b, "<text class=\"%s\"", cls);
    csi_draw_attr(b, "x", x);
    csi_draw_attr(b, "y", y);
    csi_buf_printf(b, "%s>", extra ? extra : "");
    if (csi_draw_cut(b, s, budget)) {
        csi_buf_puts(b, "<title>");
        csi_buf_escapes(b, s);
        csi_buf_puts(b, "</title>");
    }
    csi_buf_puts(b, "</text>\n");
}

/* ---- the figure ---- */

int csi_draw_check(csi_buf *b, const csi_chart *c, cs_error *err)
{
    if (!b || !c || !c->title || !c->note)
        return csi_fail(err, CS_EINVAL, "a chart needs a buffer, a title and a note");
    if (c->width < 0 || c->height < 0 || c->width > 20000 || c->height > 20000)
        return csi_fail(err, CS_EINVAL, "chart '%.100s': size %d x %d is out of range", c->title,
                        c->width, c->height);
    return CS_OK;
}

void csi_draw_size(const csi_chart *c, double *w, double *h)
{
    *w = c->width ? c->width : CSI_DRAW_W;
    *h = c->height ? c->height : CSI_DRAW_H;
    if (*w < 240)
        *w = 240;
    if (*h < 160)
        *h = 160;
}

/* The figure's id attribute: letters, digits, '-' and '_' kept, any other
 * byte made '-'. */
static void put_id(csi_buf *b, const char *id)
{
    if (!id || !*id)
        return;
    csi_buf_puts(b, " id=\"");
    for (const char *p = id; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '-' || ch == '_';
        csi_buf_put(b, ok ? p : "-", 1);
    }
    csi_buf_puts(b, "\"");
}

void csi_draw_figure_open(csi_buf *b, const csi_chart *c, const char *kind)
{
    csi_buf_printf(b, "<figure class=\"cs-chart cs-chart-%s\"", kind);
    put_id(b, c->id);
    csi_buf_puts(b, ">\n<figcaption><h3>");
    csi_buf_escapes(b, c->title);
    csi_buf_puts(b, "</h3></figcaption>\n");
}

void csi_draw_figure_close(csi_buf *b, const csi_chart *c)
{
    csi_buf_puts(b, "<p class=\"cs-note\">");
    csi_buf_escapes(b, c->note);
    csi_buf_puts(b, "</p>\n</figure>\n");
}

int csi_draw_no_data(csi_buf *b, const csi_chart *c, const char *kind, cs_error *err)
{
    csi_draw_figure_open(b, c, kind);
    csi_buf_puts(b, "<p class=\"cs-nodata\">" NO_DATA "</p>\n</figure>\n");
    return csi_buf_ok(b, err);
}

void csi_draw_svg_open(csi_buf *b, const csi_chart *c, const csi_draw_frame *f)
{
    csi_buf_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cs-svg\" viewBox=\"0 0 ");
    csi_draw_num(b, f->w);
    csi_buf_puts(b, " ");
    csi_draw_num(b, f->h);
    csi_buf_puts(b, "\" width=\"100%\" role=\"img\" aria-label=\"");
    csi_buf_escapes(b, c->title);
    csi_buf_puts(b, "\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n<title>");
    csi_buf_escapes(b, c->title);
    csi_buf_puts(b, "</title>\n");
}

void csi_draw_svg_close(csi_buf *b)
{
    csi_buf_puts(b, "</svg>\n");
}

/* Axis titles: x centred under the plot, y turned along the left edge. */
void csi_draw_axis_titles(csi_buf *b, const csi_draw_frame *f, const char *xl, const char *yl)
{
    if (xl && *xl)
        csi_draw_text(b, (f->x0 + f->x1) / 2, f->h - PAD, "cs-axis-title",
                      " text-anchor=\"middle\"", xl, csi_draw_budget(f->x1 - f->x0, FONT));
    if (yl && *yl) {
        double cy = (f->y0 + f->y1) / 2;
        csi_buf_puts(b, "<text class=\"cs-axis-title\" x=\"0\" y=\"0\" text-anchor=\"middle\" "
                        "transform=\"translate(");
        csi_draw_num(b, PAD + FONT - 2);
        csi_buf_puts(b, " ");
        csi_draw_num(b, cy);
        csi_buf_puts(b, ") rotate(-90)\">");
        size_t budget = csi_draw_budget(f->y1 - f->y0 + 40, FONT);
        if (csi_draw_cut(b, yl, budget)) {
            csi_buf_puts(b, "<title>");
            csi_buf_escapes(b, yl);
            csi_buf_puts(b, "</title>");
        }
        csi_buf_puts(b, "</text>\n");
    }
}

double csi_draw_map(double v, double lo, double hi, double p0, double p1)
{
    if (hi == lo)
        return (p0 + p1) / 2;
    return p0 + (v - lo) / (hi - lo) * (p1 - p0);
}

/* Tick labels of money need no cents: plain numbers with the ticks'
 * decimals. */
static int tick_kind(int kind)
{
    return kind == CSI_NUM_MONEY ? CSI_NUM_PLAIN : kind;
}

/* The tick labels of a value axis and their widest width. */
double csi_draw_ticks_width(const csi_ticks *t, int kind)
{
    kind = tick_kind(kind);
    double w = 0;
    char s[64];
    for (int i = 0; i < t->n; i++) {
        double tw = csi_draw_text_width(
            csi_format_human(s, sizeof s, t->value[i], kind, t->decimals), SMALL);
        if (tw > w)
            w = tw;
    }
    return w;
}

/* Ticks for an axis `len` long whose labels are about `label_w` wide (0:
 * a vertical axis, one label per ~45 units). Bounds not NaN are kept as
 * the domain. */
int csi_draw_axis_ticks(double lo, double hi, double bmin, double bmax, double len, int kind,
                        int horizontal, csi_ticks *t, double *dlo, double *dhi)
{
    if (!isnan(bmin))
        lo = bmin;
    if (!isnan(bmax))
        hi = bmax;
    int target = (int)(len / (horizontal ? 90 : 45)) + 1;
    if (target < 3)
        target = 3;
    if (target > 11)
        target = 11;
    int rc;
    for (;;) {
        rc = csi_nice_ticks(lo, hi, target, kind, t);
        if (rc != CS_OK)
            return rc;
        if (!horizontal || target <= 2)
            break;
        /* horizontal labels must not touch: widest label plus a gap */
        double need = (csi_draw_ticks_width(t, kind) + 10) * t->n;
        if (need <= len * 1.05)
            break;
        target--;
    }
    *dlo = isnan(bmin) ? t->lo : bmin;
    *dhi = isnan(bmax) ? t->hi : bmax;
    if (*dhi < *dlo) {
        double s = *dlo;
        *dlo = *dhi;
        *dhi = s;
    }
    return CS_OK;
}

/* Horizontal grid lines and labels of a value axis running up the left. */
void csi_draw_y_axis(csi_buf *b, const csi_draw_frame *f, const csi_ticks *t, int kind)
{
    char s[64];
    kind = tick_kind(kind);
    csi_buf_puts(b, "<g class=\"cs-grid\" stroke=\"#dddddd\" stroke-width=\"1\">\n");
    for (int i = 0; i < t->n; i++) {
        double v = t->value[i];
        if (v < f->vlo - 1e-9 * fabs(f->vhi - f->vlo) || v > f->vhi + 1e-9 * fabs(f->vhi - f->vlo))
            continue;
        double y = csi_draw_map(v, f->vlo, f->vhi, f->y1, f->y0);
        csi_draw_line(b, NULL, f->x0, y, f->x1, y);
    }
    csi_buf_puts(b, "</g>\n<g class=\"cs-tick\" font-size=\"11\" fill=\"#444444\" "
                    "text-anchor=\"end\">\n");
    for (int i = 0; i < t->n; i++) {
        double v = t->value[i];
        if (v < f->vlo - 1e-9 * fabs(f->vhi - f->vlo) || v > f->vhi + 1e-9 * fabs(f->vhi - f->vlo))
            continue;
        double y = csi_draw_map(v, f->vlo, f->vhi, f->y1, f->y0);
        csi_buf_puts(b, "<text");
        csi_draw_attr(b, "x", f->x0 - 5);
        csi_draw_attr(b, "y", y + 4);
        csi_buf_puts(b, ">");
        csi_buf_puts(b, csi_format_human(s, sizeof s, v, kind, t->decimals));
        csi_buf_puts(b, "</text>\n");
    }
    csi_buf_puts(b, "</g>\n");
}

/* Labels and tick marks of a value axis along the bottom. */
void csi_draw_x_axis(csi_buf *b, const csi_draw_frame *f, const csi_ticks *t, int kind, int grid)
{
    char s[64];
    kind = tick_kind(kind);
    double eps = 1e-9 * fabs(f->dhi - f->dlo);
    if (grid) {
        csi_buf_puts(b, "<g class=\"cs-grid\" stroke=\"#dddddd\" stroke-width=\"1\">\n");
        for (int i = 0; i < t->n; i++) {
            double v = t->value[i];
            if (v < f->dlo - eps || v > f->dhi + eps)
                continue;
            double x = csi_draw_map(v, f->dlo, f->dhi, f->x0, f->x1);
            csi_draw_line(b, NULL, x, f->y0, x, f->y1);
        }
        csi_buf_puts(b, "</g>\n");
    }
    csi_buf_puts(b, "<g class=\"cs-tick\" font-size=\"11\" fill=\"#444444\" "
                    "text-anchor=\"middle\">\n");
    for (int i = 0; i < t->n; i++) {
        double v = t->value[i];
        if (v < f->dlo - eps || v > f->dhi + eps)
            continue;
        double x = csi_draw_map(v, f->dlo, f->dhi, f->x0, f->x1);
        csi_format_human(s, sizeof s, v, kind, t->decimals);
        /* keep the outer labels inside the picture */
        double half = csi_draw_text_width(s, SMALL) / 2;
        double tx = x;
        if (tx - half < 2)
            tx = 2 + half;
        if (tx + half > f->w - 2)
            tx = f->w - 2 - half;
        csi_buf_puts(b, "<text");
        csi_draw_attr(b, "x", tx);
        csi_draw_attr(b, "y", f->y1 + 16);
        csi_buf_puts(b, ">");
        csi_buf_puts(b, s);
        csi_buf_puts(b, "</text>\n");
    }
    csi_buf_puts(b, "</g>\n");
}

/* The axis lines: left and bottom edges, and a darker line at zero. */
void csi_draw_axis_lines(csi_buf *b, const csi_draw_frame *f, int zero_y, int zero_x)
{
    csi_buf_puts(b, "<g class=\"cs-axis\" stroke=\"#333333\" stroke-width=\"1\">\n");
    csi_draw_line(b, NULL, f->x0, f->y0, f->x0, f->y1);
    csi_draw_line(b, NULL, f->x0, f->y1, f->x1, f->y1);
    if (zero_y && f->vlo < 0 && f->vhi > 0) {
        double y = csi_draw_map(0, f->vlo, f->vhi, f->y1, f->y0);
        csi_draw_line(b, "cs-zero", f->x0, y, f->x1, y);
    }
    if (zero_x && f->dlo < 0 && f->dhi > 0) {
        double x = csi_draw_map(0, f->dlo, f->dhi, f->x0, f->x1);
        csi_draw_line(b, "cs-zero", x, f->y0, x, f->y1);
    }
    csi_buf_puts(b, "</g>\n");
}

/* ---- the legend: a row (or rows) of swatches above the plot ---- */

#define LEGEND_MAXCHARS 40

/* Lays the legend out from x0 to x1 starting at y; draws it when b is not
 * NULL. Returns the number of rows. */
int csi_draw_legend(csi_buf *b, const csi_series *s, size_t ns, int swatch, double x0, double x1,
                    double y)
{
    /* a label is cut to what one row holds, and to LEGEND_MAXCHARS */
    size_t maxc = csi_draw_budget(x1 - x0 - 36, SMALL);
    if (maxc > LEGEND_MAXCHARS)
        maxc = LEGEND_MAXCHARS;
    if (maxc < 4)
        maxc = 4;
    int rows = 0;
    double x = x0;
    if (b)
        csi_buf_puts(b, "<g class=\"cs-legend\" font-size=\"11\" fill=\"#222222\">\n");
    for (size_t i = 0; i < ns; i++) {
        if (!s[i].label)
            continue;
        size_t n = csi_draw_chars(s[i].label);
        double tw = (double)(n < maxc ? n : maxc) * SMALL * CHAR_W;
        double w = 22 + tw + 14;
        if (rows == 0)
            rows = 1;
        else if (x + w > x1 && x > x0) {
            rows++;
            x = x0;
        }
        if (b) {
            double ry = y + (rows - 1) * LEGEND_ROW;
            const char *col = csi_draw_colour(i);
            if (swatch == SWATCH_LINE) {
                csi_buf_printf(b, "<line class=\"cs-series-%zu\"", i % 8);
                csi_draw_attr(b, "x1", x);
                csi_draw_attr(b, "x2", x + 18);
                csi_draw_attr(b, "y1", ry - 4);
                csi_draw_attr(b, "y2", ry - 4);
                csi_buf_printf(b, " stroke=\"%s\" stroke-width=\"2.5\"%s/>\n", col,
                               s[i].style == 1 ? " stroke-dasharray=\"5 3\"" : "");
            } else {
                csi_buf_printf(b, "<rect class=\"cs-series-%zu\"", i % 8);
                csi_draw_attr(b, "x", x + 3);
                csi_draw_attr(b, "y", ry - 10);
                csi_buf_printf(b, " width=\"12\" height=\"12\" fill=\"%s\"/>\n", col);
            }
            csi_draw_text(b, x + 22, ry, "cs-legend-text", NULL, s[i].label, maxc);
        }
        x += w;
    }
    if (b)
        csi_buf_puts(b, "</g>\n");
    return rows;
}

size_t csi_draw_labelled(const csi_series *s, size_t ns)
{
    size_t n = 0;
    for (size_t i = 0; i < ns; i++)
        n += s[i].label != NULL;
    return n;
}
