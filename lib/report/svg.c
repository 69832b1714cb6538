/* Inline SVG charts: lines, bars (grouped, stacked, horizontal) and a heat
 * map, each in a <figure> with its title and a note. Presentation is in
 * class names (cs-*) for the report's stylesheet, with default attributes
 * so that a chart reads without it. Coordinates are printed with one
 * decimal by integer arithmetic: nothing depends on the locale. */
#include "report/chart.h"
#include "util/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define DEF_W 640
#define DEF_H 360
#define FONT 12.0
#define SMALL 11.0
#define CHAR_W 0.6 /* the average width of a character, in font sizes */
#define PAD 8.0
#define ELLIPSIS "\xe2\x80\xa6"
#define NO_DATA "No data for this chart."

/* Okabe-Ito, in an order whose first colours read well as lines on white. */
static const char *const palette[8] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                       "#CC79A7", "#56B4E9", "#000000", "#F0E442"};
#define SERIES_COLOUR(i) palette[(i) % 8]

/* ---- small writers ---- */

/* A coordinate or length: at most one decimal. */
static void put_num(csi_buf *b, double v)
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

static void attr(csi_buf *b, const char *name, double v)
{
    csi_buf_printf(b, " %s=\"", name);
    put_num(b, v);
    csi_buf_puts(b, "\"");
}

/* Code points in s (bytes that do not continue a UTF-8 sequence). */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* The width of s in a sans-serif font of size fs, estimated. */
static double text_width(const char *s, double fs)
{
    return (double)chars(s) * fs * CHAR_W;
}

/* s escaped, cut to `budget` characters with an ellipsis; returns 1 when
 * it was cut. */
static int put_cut(csi_buf *b, const char *s, size_t budget)
{
    if (!s)
        return 0;
    if (budget < 2)
        budget = 2;
    if (chars(s) <= budget) {
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
static void put_text(csi_buf *b, double x, double y, const char *cls, const char *extra,
                     const char *s, size_t budget)
{
    csi_buf_printf(b, "<text class=\"%s\"", cls);
    attr(b, "x", x);
    attr(b, "y", y);
    csi_buf_printf(b, "%s>", extra ? extra : "");
    if (put_cut(b, s, budget)) {
        csi_buf_puts(b, "<title>");
        csi_buf_escapes(b, s);
        csi_buf_puts(b, "</title>");
    }
    csi_buf_puts(b, "</text>\n");
}

/* ---- colours ---- */

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

/* ---- the figure ---- */

typedef struct frame {
    double w, h;             /* the viewBox */
    double x0, x1, y0, y1;   /* the plot area */
    double dlo, dhi;         /* value domain of the x axis (lines) */
    double vlo, vhi;         /* value domain of the y axis */
} frame;

static int check_chart(csi_buf *b, const csi_chart *c, cs_error *err)
{
    if (!b || !c || !c->title || !c->note)
        return csi_fail(err, CS_EINVAL, "a chart needs a buffer, a title and a note");
    if (c->width < 0 || c->height < 0 || c->width > 20000 || c->height > 20000)
        return csi_fail(err, CS_EINVAL, "chart '%.100s': size %d x %d is out of range",
                        c->title, c->width, c->height);
    return CS_OK;
}

static void chart_size(const csi_chart *c, double *w, double *h)
{
    *w = c->width ? c->width : DEF_W;
    *h = c->height ? c->height : DEF_H;
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
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        csi_buf_put(b, ok ? p : "-", 1);
    }
    csi_buf_puts(b, "\"");
}

static void figure_open(csi_buf *b, const csi_chart *c, const char *kind)
{
    csi_buf_printf(b, "<figure class=\"cs-chart cs-chart-%s\"", kind);
    put_id(b, c->id);
    csi_buf_puts(b, ">\n<figcaption><h3>");
    csi_buf_escapes(b, c->title);
    csi_buf_puts(b, "</h3></figcaption>\n");
}

static void figure_close(csi_buf *b, const csi_chart *c)
{
    csi_buf_puts(b, "<p class=\"cs-note\">");
    csi_buf_escapes(b, c->note);
    csi_buf_puts(b, "</p>\n</figure>\n");
}

static int no_data(csi_buf *b, const csi_chart *c, const char *kind, cs_error *err)
{
    figure_open(b, c, kind);
    csi_buf_puts(b, "<p class=\"cs-nodata\">" NO_DATA "</p>\n</figure>\n");
    return csi_buf_ok(b, err);
}

static void svg_open(csi_buf *b, const csi_chart *c, const frame *f)
{
    csi_buf_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cs-svg\" viewBox=\"0 0 ");
    put_num(b, f->w);
    csi_buf_puts(b, " ");
    put_num(b, f->h);
    csi_buf_puts(b, "\" width=\"100%\" role=\"img\" aria-label=\"");
    csi_buf_escapes(b, c->title);
    csi_buf_puts(b, "\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n<title>");
    csi_buf_escapes(b, c->title);
    csi_buf_puts(b, "</title>\n");
}

static void svg_close(csi_buf *b)
{
    csi_buf_puts(b, "</svg>\n");
}

/* Axis titles: x centred under the plot, y turned along the left edge. */
static void axis_titles(csi_buf *b, const frame *f, const char *xl, const char *yl)
{
    if (xl && *xl)
        put_text(b, (f->x0 + f->x1) / 2, f->h - PAD, "cs-axis-title", " text-anchor=\"middle\"",
                 xl, (size_t)((f->x1 - f->x0) / (FONT * CHAR_W)));
    if (yl && *yl) {
        double cy = (f->y0 + f->y1) / 2;
        csi_buf_puts(b, "<text class=\"cs-axis-title\" x=\"0\" y=\"0\" text-anchor=\"middle\" "
                        "transform=\"translate(");
        put_num(b, PAD + FONT - 2);
        csi_buf_puts(b, " ");
        put_num(b, cy);
        csi_buf_puts(b, ") rotate(-90)\">");
        size_t budget = (size_t)((f->y1 - f->y0 + 40) / (FONT * CHAR_W));
        if (put_cut(b, yl, budget)) {
            csi_buf_puts(b, "<title>");
            csi_buf_escapes(b, yl);
            csi_buf_puts(b, "</title>");
        }
        csi_buf_puts(b, "</text>\n");
    }
}

static double map(double v, double lo, double hi, double p0, double p1)
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
static double ticks_width(const csi_ticks *t, int kind)
{
    kind = tick_kind(kind);
    double w = 0;
    char s[64];
    for (int i = 0; i < t->n; i++) {
        double tw = text_width(csi_format_human(s, sizeof s, t->value[i], kind, t->decimals), SMALL);
        if (tw > w)
            w = tw;
    }
    return w;
}

/* Ticks for an axis `len` long whose labels are about `label_w` wide (0:
 * a vertical axis, one label per ~45 units). Bounds not NaN are kept as
 * the domain. */
static int axis_ticks(double lo, double hi, double bmin, double bmax, double len, int kind,
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
        double need = (ticks_width(t, kind) + 10) * t->n;
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
static void y_axis(csi_buf *b, const frame *f, const csi_ticks *t, int kind)
{
    char s[64];
    kind = tick_kind(kind);
    csi_buf_puts(b, "<g class=\"cs-grid\" stroke=\"#dddddd\" stroke-width=\"1\">\n");
    for (int i = 0; i < t->n; i++) {
        double v = t->value[i];
        if (v < f->vlo - 1e-9 * fabs(f->vhi - f->vlo) || v > f->vhi + 1e-9 * fabs(f->vhi - f->vlo))
            continue;
        double y = map(v, f->vlo, f->vhi, f->y1, f->y0);
        csi_buf_puts(b, "<line");
        attr(b, "x1", f->x0);
        attr(b, "x2", f->x1);
        attr(b, "y1", y);
        attr(b, "y2", y);
        csi_buf_puts(b, "/>\n");
    }
    csi_buf_puts(b, "</g>\n<g class=\"cs-tick\" font-size=\"11\" fill=\"#444444\" "
                    "text-anchor=\"end\">\n");
    for (int i = 0; i < t->n; i++) {
        double v = t->value[i];
        if (v < f->vlo - 1e-9 * fabs(f->vhi - f->vlo) || v > f->vhi + 1e-9 * fabs(f->vhi - f->vlo))
            continue;
        double y = map(v, f->vlo, f->vhi, f->y1, f->y0);
        csi_buf_puts(b, "<text");
        attr(b, "x", f->x0 - 5);
        attr(b, "y", y + 4);
        csi_buf_puts(b, ">");
        csi_buf_puts(b, csi_format_human(s, sizeof s, v, kind, t->decimals));
        csi_buf_puts(b, "</text>\n");
    }
    csi_buf_puts(b, "</g>\n");
}

/* Labels and tick marks of a value axis along the bottom. */
static void x_axis(csi_buf *b, const frame *f, const csi_ticks *t, int kind, int grid)
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
            double x = map(v, f->dlo, f->dhi, f->x0, f->x1);
            csi_buf_puts(b, "<line");
            attr(b, "x1", x);
            attr(b, "x2", x);
            attr(b, "y1", f->y0);
            attr(b, "y2", f->y1);
            csi_buf_puts(b, "/>\n");
        }
        csi_buf_puts(b, "</g>\n");
    }
    csi_buf_puts(b, "<g class=\"cs-tick\" font-size=\"11\" fill=\"#444444\" "
                    "text-anchor=\"middle\">\n");
    for (int i = 0; i < t->n; i++) {
        double v = t->value[i];
        if (v < f->dlo - eps || v > f->dhi + eps)
            continue;
        double x = map(v, f->dlo, f->dhi, f->x0, f->x1);
        csi_format_human(s, sizeof s, v, kind, t->decimals);
        /* keep the outer labels inside the picture */
        double half = text_width(s, SMALL) / 2;
        double tx = x;
        if (tx - half < 2)
            tx = 2 + half;
        if (tx + half > f->w - 2)
            tx = f->w - 2 - half;
        csi_buf_puts(b, "<text");
        attr(b, "x", tx);
        attr(b, "y", f->y1 + 16);
        csi_buf_puts(b, ">");
        csi_buf_puts(b, s);
        csi_buf_puts(b, "</text>\n");
    }
    csi_buf_puts(b, "</g>\n");
}

/* The axis lines: left and bottom edges, and a darker line at zero. */
static void axis_lines(csi_buf *b, const frame *f, int zero_y, int zero_x)
{
    csi_buf_puts(b, "<g class=\"cs-axis\" stroke=\"#333333\" stroke-width=\"1\">\n<line");
    attr(b, "x1", f->x0);
    attr(b, "x2", f->x0);
    attr(b, "y1", f->y0);
    attr(b, "y2", f->y1);
    csi_buf_puts(b, "/>\n<line");
    attr(b, "x1", f->x0);
    attr(b, "x2", f->x1);
    attr(b, "y1", f->y1);
    attr(b, "y2", f->y1);
    csi_buf_puts(b, "/>\n");
    if (zero_y && f->vlo < 0 && f->vhi > 0) {
        double y = map(0, f->vlo, f->vhi, f->y1, f->y0);
        csi_buf_puts(b, "<line class=\"cs-zero\"");
        attr(b, "x1", f->x0);
        attr(b, "x2", f->x1);
        attr(b, "y1", y);
        attr(b, "y2", y);
        csi_buf_puts(b, "/>\n");
    }
    if (zero_x && f->dlo < 0 && f->dhi > 0) {
        double x = map(0, f->dlo, f->dhi, f->x0, f->x1);
        csi_buf_puts(b, "<line class=\"cs-zero\"");
        attr(b, "x1", x);
        attr(b, "x2", x);
        attr(b, "y1", f->y0);
        attr(b, "y2", f->y1);
        csi_buf_puts(b, "/>\n");
    }
    csi_buf_puts(b, "</g>\n");
}

/* ---- the legend: a row (or rows) of swatches above the plot ---- */

enum { SWATCH_LINE, SWATCH_BOX };

#define LEGEND_ROW 18.0
#define LEGEND_MAXCHARS 40

/* Lays the legend out from x0 to x1 starting at y; draws it when b is not
 * NULL. Returns the number of rows. */
static int legend(csi_buf *b, const csi_series *s, size_t ns, int swatch, double x0, double x1,
                  double y)
{
    int rows = 0;
    double x = x0;
    if (b)
        csi_buf_puts(b, "<g class=\"cs-legend\" font-size=\"11\" fill=\"#222222\">\n");
    for (size_t i = 0; i < ns; i++) {
        if (!s[i].label)
            continue;
        size_t n = chars(s[i].label);
        double tw = (double)(n < LEGEND_MAXCHARS ? n : LEGEND_MAXCHARS) * SMALL * CHAR_W;
        double w = 22 + tw + 14;
        if (rows == 0)
            rows = 1;
        else if (x + w > x1 && x > x0) {
            rows++;
            x = x0;
        }
        if (b) {
            double ry = y + (rows - 1) * LEGEND_ROW;
            const char *col = SERIES_COLOUR(i);
            if (swatch == SWATCH_LINE) {
                csi_buf_printf(b, "<line class=\"cs-series-%zu\"", i % 8);
                attr(b, "x1", x);
                attr(b, "x2", x + 18);
                attr(b, "y1", ry - 4);
                attr(b, "y2", ry - 4);
                csi_buf_printf(b, " stroke=\"%s\" stroke-width=\"2.5\"%s/>\n", col,
                               s[i].style == 1 ? " stroke-dasharray=\"5 3\"" : "");
            } else {
                csi_buf_printf(b, "<rect class=\"cs-series-%zu\"", i % 8);
                attr(b, "x", x + 3);
                attr(b, "y", ry - 10);
                csi_buf_printf(b, " width=\"12\" height=\"12\" fill=\"%s\"/>\n", col);
            }
            put_text(b, x + 22, ry, "cs-legend-text", NULL, s[i].label, LEGEND_MAXCHARS);
        }
        x += w;
    }
    if (b)
        csi_buf_puts(b, "</g>\n");
    return rows;
}

static size_t labelled(const csi_series *s, size_t ns)
{
    size_t n = 0;
    for (size_t i = 0; i < ns; i++)
        n += s[i].label != NULL;
    return n;
}

/* ---- lines ---- */

static double xval(const csi_series *s, size_t i)
{
    return s->x ? s->x[i] : (double)i;
}

#define MARKERS_MAX 1000

int csi_svg_lines(csi_buf *b, const csi_chart *c, const csi_series *s, size_t ns,
                  const csi_mark *marks, size_t nmarks, cs_error *err)
{
    int rc = check_chart(b, c, err);
    if (rc != CS_OK)
        return rc;
    if ((ns && !s) || (nmarks && !marks))
        return csi_fail(err, CS_EINVAL, "chart '%.100s': series or marks missing", c->title);
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    size_t points = 0;
    for (size_t k = 0; k < ns; k++) {
        if (s[k].n && !s[k].y)
            return csi_fail(err, CS_EINVAL, "chart '%.100s': series %zu has no values",
                            c->title, k);
        for (size_t i = 0; i < s[k].n; i++) {
            double x = xval(&s[k], i), y = s[k].y[i];
            if (!isfinite(x) || !isfinite(y))
                continue;
            points++;
            xlo = fmin(xlo, x);
            xhi = fmax(xhi, x);
            ylo = fmin(ylo, y);
            yhi = fmax(yhi, y);
        }
    }
    if (points == 0)
        return no_data(b, c, "lines", err);
    for (size_t k = 0; k < nmarks; k++) {
        if (!isfinite(marks[k].x) || !isfinite(marks[k].y))
            continue;
        xlo = fmin(xlo, marks[k].x);
        xhi = fmax(xhi, marks[k].x);
        ylo = fmin(ylo, marks[k].y);
        yhi = fmax(yhi, marks[k].y);
    }

    frame f = {0};
    chart_size(c, &f.w, &f.h);
    int show_legend = labelled(s, ns) > 1;
    int rows = show_legend ? legend(NULL, s, ns, SWATCH_LINE, PAD, f.w - PAD, 0) : 0;
    f.y0 = PAD + 6 + rows * LEGEND_ROW;
    f.y1 = f.h - PAD - (c->x_label && *c->x_label ? FONT + 6 : 0) - 22;
    csi_ticks yt, xt;
    rc = axis_ticks(ylo, yhi, c->y_min, c->y_max, f.y1 - f.y0, c->y_kind, 0, &yt, &f.vlo, &f.vhi);
    if (rc == CS_OK) {
        f.x0 = PAD + (c->y_label && *c->y_label ? FONT + 8 : 0) + ticks_width(&yt, c->y_kind) + 8;
        f.x1 = f.w - PAD - 12;
        rc = axis_ticks(xlo, xhi, c->x_min, c->x_max, f.x1 - f.x0, c->x_kind, 1, &xt, &f.dlo,
                        &f.dhi);
    }
    if (rc != CS_OK)
        return csi_fail(err, rc, "chart '%.100s': the axes' bounds are not finite numbers",
                        c->title);

    figure_open(b, c, "lines");
    svg_open(b, c, &f);
    y_axis(b, &f, &yt, c->y_kind);
    x_axis(b, &f, &xt, c->x_kind, 0);
    axis_lines(b, &f, 1, 0);
    axis_titles(b, &f, c->x_label, c->y_label);
    if (show_legend)
        legend(b, s, ns, SWATCH_LINE, f.x0, f.w - PAD, PAD + 12);

    /* the plot area clips what lies outside the bounds */
    double pw = f.x1 - f.x0, ph = f.y1 - f.y0;
    csi_buf_puts(b, "<svg class=\"cs-plot\" overflow=\"hidden\"");
    attr(b, "x", f.x0);
    attr(b, "y", f.y0);
    attr(b, "width", pw);
    attr(b, "height", ph);
    csi_buf_puts(b, ">\n");
    for (size_t k = 0; k < ns; k++) {
        const char *col = SERIES_COLOUR(k);
        csi_buf_printf(b, "<path class=\"cs-line cs-series-%zu%s\" fill=\"none\" stroke=\"%s\" "
                          "stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"%s",
                       k % 8, s[k].style == 1 ? " cs-dashed" : "", col,
                       s[k].style == 1 ? " stroke-dasharray=\"6 4\"" : "");
        csi_buf_puts(b, " d=\"");
        int open = 0, any = 0;
        long px = 0, py = 0;
        for (size_t i = 0; i < s[k].n; i++) {
            double x = xval(&s[k], i), y = s[k].y[i];
            if (!isfinite(x) || !isfinite(y)) {
                if (open == 1) /* a point alone between gaps: a dot */
                    csi_buf_puts(b, "h0");
                open = 0;
                continue;
            }
            double sx = map(x, f.dlo, f.dhi, 0, pw), sy = map(y, f.vlo, f.vhi, ph, 0);
            long qx = lround(sx * 10), qy = lround(sy * 10);
            if (open && qx == px && qy == py)
                continue; /* the same spot at this resolution */
            csi_buf_puts(b, open ? "L" : (any ? " M" : "M"));
            put_num(b, sx);
            csi_buf_puts(b, " ");
            put_num(b, sy);
            px = qx;
            py = qy;
            open++;
            any = 1;
        }
        if (open == 1)
            csi_buf_puts(b, "h0");
        csi_buf_puts(b, "\">");
        if (s[k].label) {
            csi_buf_puts(b, "<title>");
            csi_buf_escapes(b, s[k].label);
            csi_buf_puts(b, "</title>");
        }
        csi_buf_puts(b, "</path>\n");
        if (!(s[k].markers && s[k].n <= MARKERS_MAX)) {
            /* a point alone between gaps is a dot of the path's width only:
             * mark it so it is seen */
            int open_g = 0;
            for (size_t i = 0; i < s[k].n; i++) {
                int fin = isfinite(xval(&s[k], i)) && isfinite(s[k].y[i]);
                int prev = i > 0 && isfinite(xval(&s[k], i - 1)) && isfinite(s[k].y[i - 1]);
                int next = i + 1 < s[k].n && isfinite(xval(&s[k], i + 1)) &&
                           isfinite(s[k].y[i + 1]);
                if (!fin || prev || next)
                    continue;
                if (!open_g)
                    csi_buf_printf(b, "<g class=\"cs-markers cs-series-%zu\" fill=\"%s\">", k % 8,
                                   col);
                open_g = 1;
                csi_buf_puts(b, "<circle");
                attr(b, "cx", map(xval(&s[k], i), f.dlo, f.dhi, 0, pw));
                attr(b, "cy", map(s[k].y[i], f.vlo, f.vhi, ph, 0));
                csi_buf_puts(b, " r=\"3\"/>");
            }
            if (open_g)
                csi_buf_puts(b, "</g>\n");
        } else {
            csi_buf_printf(b, "<g class=\"cs-markers cs-series-%zu\" fill=\"%s\">", k % 8, col);
            for (size_t i = 0; i < s[k].n; i++) {
                double x = xval(&s[k], i), y = s[k].y[i];
                if (!isfinite(x) || !isfinite(y))
                    continue;
                csi_buf_puts(b, "<circle");
                attr(b, "cx", map(x, f.dlo, f.dhi, 0, pw));
                attr(b, "cy", map(y, f.vlo, f.vhi, ph, 0));
                csi_buf_puts(b, " r=\"3\"/>");
            }
            csi_buf_puts(b, "</g>\n");
        }
    }
    csi_buf_puts(b, "</svg>\n");

    /* marks: a dot and its text, kept inside the picture */
    for (size_t k = 0; k < nmarks; k++) {
        double x = marks[k].x, y = marks[k].y;
        if (!isfinite(x) || !isfinite(y) || x < f.dlo || x > f.dhi || y < f.vlo || y > f.vhi)
            continue;
        double px = map(x, f.dlo, f.dhi, f.x0, f.x1), py = map(y, f.vlo, f.vhi, f.y1, f.y0);
        csi_buf_puts(b, "<g class=\"cs-mark\">\n<circle");
        attr(b, "cx", px);
        attr(b, "cy", py);
        csi_buf_puts(b, " r=\"4\" fill=\"#222222\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>\n");
        if (marks[k].text && *marks[k].text) {
            double tw = text_width(marks[k].text, SMALL);
            int right = px + 8 + tw <= f.x1 || px - 8 - tw < f.x0;
            double tx = right ? px + 8 : px - 8;
            /* below the dot on a rising curve's left, where the plot is empty */
            double ty = py + 14 <= f.y1 - 2 ? py + 14 : py - 8;
            put_text(b, tx, ty, "cs-mark-text",
                     right ? " font-size=\"11\" fill=\"#222222\" paint-order=\"stroke\" "
                             "stroke=\"#ffffff\" stroke-width=\"3\""
                           : " font-size=\"11\" fill=\"#222222\" paint-order=\"stroke\" "
                             "stroke=\"#ffffff\" stroke-width=\"3\" text-anchor=\"end\"",
                     marks[k].text, 60);
        }
        csi_buf_puts(b, "</g>\n");
    }
    svg_close(b);
    figure_close(b, c);
    return csi_buf_ok(b, err);
}

/* ---- bars ---- */

static double bar_value(const csi_series *s, size_t cat)
{
    return s->y && cat < s->n ? s->y[cat] : NAN;
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
    int rc = check_chart(b, c, err);
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
        return no_data(b, c, "bars", err);
    /* value labels on the bars when there are few */
    int values = bars <= 24;
    if (values && !stacked) { /* room for the labels beyond the longest bars */
        double span = hi - lo;
        if (hi > 0 && isnan(c->y_max))
            hi += span * (horizontal ? 0.12 : 0.06);
        if (lo < 0 && isnan(c->y_min))
            lo -= span * (horizontal ? 0.12 : 0.06);
    }

    frame f = {0};
    chart_size(c, &f.w, &f.h);
    int show_legend = labelled(s, ns) > 1;
    int rows = show_legend ? legend(NULL, s, ns, SWATCH_BOX, PAD, f.w - PAD, 0) : 0;
    f.y0 = PAD + 6 + rows * LEGEND_ROW;
    double cat_title = c->x_label && *c->x_label ? FONT + 8 : 0;
    double val_title = c->y_label && *c->y_label ? FONT + 8 : 0;
    size_t longest = 0;
    for (size_t j = 0; j < ncat; j++)
        if (chars(labels[j]) > longest)
            longest = chars(labels[j]);
    csi_ticks t;
    size_t budget;
    int rotate = 0;
    if (!horizontal) {
        f.x1 = f.w - PAD - 4;
        double band_guess = (f.w - 80) / (double)ncat;
        budget = (size_t)((band_guess - 4) / (SMALL * CHAR_W));
        if (longest > budget && budget < 10) {
            rotate = 1;
            budget = 18;
        }
        size_t shown = longest < budget ? longest : budget;
        double label_h = rotate ? (double)shown * SMALL * CHAR_W * 0.64 + 14 : 18;
        f.y1 = f.h - PAD - cat_title - label_h - 4;
        rc = axis_ticks(lo, hi, c->y_min, c->y_max, f.y1 - f.y0, c->y_kind, 0, &t, &f.vlo,
                        &f.vhi);
        f.x0 = PAD + val_title + (rc == CS_OK ? ticks_width(&t, c->y_kind) : 0) + 8;
        if (rotate) { /* the first turned label reaches left of its band */
            double n2 = 2.0 * (double)ncat, reach = (double)shown * SMALL * CHAR_W * 0.77 + 10;
            if (f.x0 + (f.x1 - f.x0) / n2 < reach)
                f.x0 = (reach - f.x1 / n2) / (1 - 1 / n2);
        }
    } else {
        f.y1 = f.h - PAD - val_title - 22;
        budget = (size_t)(f.w * 0.32 / (SMALL * CHAR_W));
        size_t shown = longest < budget ? longest : budget;
        f.x0 = PAD + cat_title + (double)shown * SMALL * CHAR_W + 8;
        f.x1 = f.w - PAD - 14;
        rc = axis_ticks(lo, hi, c->y_min, c->y_max, f.x1 - f.x0, c->y_kind, 1, &t, &f.dlo, &f.dhi);
        f.vlo = f.dlo;
        f.vhi = f.dhi;
    }
    if (rc != CS_OK)
        return csi_fail(err, rc, "chart '%.100s': the value bounds are not finite numbers",
                        c->title);

    figure_open(b, c, stacked ? "bars cs-stacked" : "bars");
    svg_open(b, c, &f);
    frame vf = f; /* the value axis where x_axis and y_axis expect it */
    if (!horizontal) {
        y_axis(b, &f, &t, c->y_kind);
        axis_titles(b, &f, c->x_label, c->y_label);
    } else {
        x_axis(b, &vf, &t, c->y_kind, 1);
        axis_titles(b, &f, c->y_label, c->x_label);
    }
    if (show_legend)
        legend(b, s, ns, SWATCH_BOX, f.x0, f.w - PAD, PAD + 12);

    double len = horizontal ? f.y1 - f.y0 : f.x1 - f.x0;
    double band = len / (double)ncat;
    double group = band * (ns > 1 && !stacked ? 0.84 : 0.72);
    double bw = stacked ? group : group / (double)(ns ? ns : 1);
    /* the value axis in picture coordinates */
    double v0 = horizontal ? f.x0 : f.y1, v1 = horizontal ? f.x1 : f.y0;
    double zero = map(0, f.vlo, f.vhi, v0, v1);
    if (zero < fmin(v0, v1))
        zero = fmin(v0, v1);
    if (zero > fmax(v0, v1))
        zero = fmax(v0, v1);
    char vs[64];
    csi_buf_puts(b, "<g class=\"cs-bars\">\n");
    for (size_t k = 0; k < ns; k++) {
        csi_buf_printf(b, "<g class=\"cs-series-%zu\" fill=\"%s\">\n", k % 8, SERIES_COLOUR(k));
        for (size_t j = 0; j < ncat; j++) {
            double v = bar_value(&s[k], j);
            if (!isfinite(v))
                continue;
            double base = 0;
            if (stacked) /* the sum of the earlier series of the same sign */
                for (size_t q = 0; q < k; q++) {
                    double u = bar_value(&s[q], j);
                    if (isfinite(u) && (u > 0) == (v > 0))
                        base += u;
                }
            double a = map(base, f.vlo, f.vhi, v0, v1), e = map(base + v, f.vlo, f.vhi, v0, v1);
            double lo_v = fmax(fmin(a, e), fmin(v0, v1)), hi_v = fmin(fmax(a, e), fmax(v0, v1));
            double off = (horizontal ? f.y0 : f.x0) + band * (double)j + (band - group) / 2 +
                         (stacked ? 0 : bw * (double)k);
            csi_buf_puts(b, "<rect class=\"cs-bar\"");
            if (horizontal) {
                attr(b, "x", lo_v);
                attr(b, "y", off);
                attr(b, "width", hi_v - lo_v);
                attr(b, "height", bw);
            } else {
                attr(b, "x", off);
                attr(b, "y", lo_v);
                attr(b, "width", bw);
                attr(b, "height", hi_v - lo_v);
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
                double tw = text_width(value_text(vs, sizeof vs, v, c->y_kind, t.decimals), 10);
                double e = map(v, f.vlo, f.vhi, v0, v1);
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
                double tw = text_width(vs, 10);
                double base = 0;
                if (stacked)
                    for (size_t q = 0; q < k; q++) {
                        double u = bar_value(&s[q], j);
                        if (isfinite(u) && (u > 0) == (v > 0))
                            base += u;
                    }
                double a = map(base, f.vlo, f.vhi, v0, v1), e = map(base + v, f.vlo, f.vhi, v0, v1);
                double mid = (horizontal ? f.y0 : f.x0) + band * (double)j + (band - group) / 2 +
                             (stacked ? 0 : bw * (double)k) + bw / 2;
                double seg = fabs(e - a);
                if (stacked) {
                    if ((horizontal ? tw + 4 : 14) > seg || (horizontal ? 14 : tw + 2) > bw)
                        continue; /* no room inside */
                    double cpos = (a + e) / 2;
                    const char *fill = k % 8 == 6 || k % 8 == 0 || k % 8 == 3 ? "#ffffff"
                                                                             : "#111111";
                    csi_buf_printf(b, "<text text-anchor=\"middle\" fill=\"%s\"", fill);
                    attr(b, "x", horizontal ? cpos : mid);
                    attr(b, "y", horizontal ? mid + 3.5 : cpos + 3.5);
                } else {
                    int up = v >= 0;
                    if (horizontal) {
                        csi_buf_printf(b, "<text text-anchor=\"%s\"", up ? "start" : "end");
                        attr(b, "x", up ? e + 3 : e - 3);
                        attr(b, "y", mid + 3.5);
                    } else {
                        csi_buf_puts(b, "<text text-anchor=\"middle\"");
                        attr(b, "x", mid);
                        attr(b, "y", up ? e - 3 : e + 11);
                    }
                }
                csi_buf_puts(b, ">");
                csi_buf_puts(b, vs);
                csi_buf_puts(b, "</text>\n");
            }
        csi_buf_puts(b, "</g>\n");
    }

    /* the axis lines (the zero line over the bars) and the categories */
    csi_buf_puts(b, "<g class=\"cs-axis\" stroke=\"#333333\" stroke-width=\"1\">\n<line");
    if (horizontal) {
        attr(b, "x1", zero);
        attr(b, "x2", zero);
        attr(b, "y1", f.y0);
        attr(b, "y2", f.y1);
        csi_buf_puts(b, "/>\n<line");
        attr(b, "x1", f.x0);
        attr(b, "x2", f.x1);
        attr(b, "y1", f.y1);
        attr(b, "y2", f.y1);
    } else {
        attr(b, "x1", f.x0);
        attr(b, "x2", f.x1);
        attr(b, "y1", zero);
        attr(b, "y2", zero);
        csi_buf_puts(b, "/>\n<line");
        attr(b, "x1", f.x0);
        attr(b, "x2", f.x0);
        attr(b, "y1", f.y0);
        attr(b, "y2", f.y1);
    }
    csi_buf_puts(b, "/>\n</g>\n");
    csi_buf_puts(b, "<g class=\"cs-category\" font-size=\"11\" fill=\"#222222\">\n");
    for (size_t j = 0; j < ncat; j++) {
        double mid = (horizontal ? f.y0 : f.x0) + band * ((double)j + 0.5);
        const char *lab = labels[j] ? labels[j] : "";
        if (horizontal) {
            put_text(b, f.x0 - 6, mid + 4, "cs-cat", " text-anchor=\"end\"", lab, budget);
        } else if (!rotate) {
            put_text(b, mid, f.y1 + 15, "cs-cat", " text-anchor=\"middle\"", lab, budget);
        } else {
            csi_buf_puts(b, "<text class=\"cs-cat\" x=\"0\" y=\"0\" text-anchor=\"end\" "
                            "transform=\"translate(");
            put_num(b, mid + 3);
            csi_buf_puts(b, " ");
            put_num(b, f.y1 + 10);
            csi_buf_puts(b, ") rotate(-40)\">");
            if (put_cut(b, lab, budget)) {
                csi_buf_puts(b, "<title>");
                csi_buf_escapes(b, lab);
                csi_buf_puts(b, "</title>");
            }
            csi_buf_puts(b, "</text>\n");
        }
    }
    csi_buf_puts(b, "</g>\n");
    svg_close(b);
    figure_close(b, c);
    return csi_buf_ok(b, err);
}

/* ---- heat map ---- */

#define LEGEND_STEPS 5

int csi_svg_heatmap(csi_buf *b, const csi_chart *c, const char *const *row_labels, size_t nrows,
                    const char *const *col_labels, size_t ncols, const double *value,
                    const char *const *cell_text, const char *value_label, int value_kind,
                    cs_error *err)
{
    int rc = check_chart(b, c, err);
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
        return no_data(b, c, "heatmap", err);

    frame f = {0};
    chart_size(c, &f.w, &f.h);
    size_t rlong = 0, clong = 0;
    for (size_t r = 0; r < nrows; r++)
        if (row_labels && chars(row_labels[r]) > rlong)
            rlong = chars(row_labels[r]);
    for (size_t k = 0; k < ncols; k++)
        if (col_labels && chars(col_labels[k]) > clong)
            clong = chars(col_labels[k]);
    size_t rbudget = 18;
    size_t rshown = rlong < rbudget ? rlong : rbudget;
    double legend_w = 96;
    f.x0 = PAD + (c->y_label && *c->y_label ? FONT + 8 : 0) + (double)rshown * SMALL * CHAR_W + 8;
    f.x1 = f.w - PAD - legend_w;
    f.y0 = PAD + 18;
    f.y1 = f.h - PAD - (c->x_label && *c->x_label ? FONT + 8 : 0) - 20;
    double cw = (f.x1 - f.x0) / (double)ncols, ch = (f.y1 - f.y0) / (double)nrows;
    size_t cbudget = (size_t)((cw - 2) / (SMALL * CHAR_W));

    figure_open(b, c, "heatmap");
    svg_open(b, c, &f);
    axis_titles(b, &f, c->x_label, c->y_label);

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
            attr(b, "x", x);
            attr(b, "y", y);
            attr(b, "width", cw);
            attr(b, "height", ch);
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
            csi_buf_escapes(b, empty ? "no value" : csi_format_human(vs, sizeof vs, v, value_kind, dec));
            if (cell_text && cell_text[r * ncols + k]) {
                csi_buf_puts(b, " (");
                csi_buf_escapes(b, cell_text[r * ncols + k]);
                csi_buf_puts(b, ")");
            }
            csi_buf_puts(b, "</title></rect>\n");
            if (txt && *txt && fs >= 7 && text_width(txt, fs) <= cw - 3) {
                csi_buf_printf(b, "<text class=\"cs-cell-text\" stroke=\"none\" "
                                  "text-anchor=\"middle\" fill=\"%s\"",
                               text_on(col));
                attr(b, "x", x + cw / 2);
                attr(b, "y", y + ch / 2 + fs * 0.35);
                if (fs < FONT)
                    attr(b, "font-size", fs);
                csi_buf_puts(b, ">");
                csi_buf_escapes(b, txt);
                csi_buf_puts(b, "</text>\n");
            }
        }
    csi_buf_puts(b, "</g>\n");

    /* row labels on the left, column labels below */
    csi_buf_puts(b, "<g class=\"cs-category\" font-size=\"11\" fill=\"#222222\">\n");
    for (size_t r = 0; row_labels && r < nrows; r++)
        if (row_labels[r])
            put_text(b, f.x0 - 5, f.y0 + ch * ((double)r + 0.5) + 4, "cs-cat",
                     " text-anchor=\"end\"", row_labels[r], rbudget);
    for (size_t k = 0; col_labels && k < ncols; k++)
        if (col_labels[k])
            put_text(b, f.x0 + cw * ((double)k + 0.5), f.y1 + 15, "cs-cat",
                     " text-anchor=\"middle\"", col_labels[k], cbudget);
    csi_buf_puts(b, "</g>\n");

    /* the colour scale: steps from the largest (top) to the smallest */
    double lx = f.x1 + 16, ly = f.y0 + 4, sh = fmin(22, (f.y1 - f.y0 - 8) / LEGEND_STEPS);
    csi_buf_puts(b, "<g class=\"cs-legend cs-scale\" font-size=\"11\" fill=\"#222222\">\n");
    put_text(b, f.w - PAD, f.y0 - 8, "cs-legend-title", " text-anchor=\"end\"",
             value_label ? value_label : "", (size_t)((legend_w + 40) / (SMALL * CHAR_W)));
    for (int i = 0; i < (hi > lo ? LEGEND_STEPS : 1); i++) {
        double tq = 1 - (i + 0.5) / LEGEND_STEPS;
        csi_buf_puts(b, "<rect");
        attr(b, "x", lx);
        attr(b, "y", ly + sh * i);
        attr(b, "width", 14);
        attr(b, "height", sh);
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
        attr(b, "x", lx + 19);
        attr(b, "y", y + 4);
        csi_buf_puts(b, ">");
        csi_buf_puts(b, csi_format_human(vs, sizeof vs, v, value_kind, dec + (hi > lo ? 1 : 0)));
        csi_buf_puts(b, "</text>\n");
    }
    csi_buf_puts(b, "</g>\n");
    svg_close(b);
    figure_close(b, c);
    return csi_buf_ok(b, err);
}
