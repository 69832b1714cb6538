/* custseg: inline SVG charts and the text buffer the HTML report is built in
 * (internal to libcustseg; layer "report").
 *
 * Every chart is one <figure> holding a title (<figcaption> with <h3>), an
 * <svg> with a viewBox (so it scales to the page width and prints on A4), and
 * a one-line note saying how to read it. Charts draw aggregates only: the
 * caller passes bins, deciles or cells, never one point per customer. All
 * text that comes from data (labels, ids, titles) is escaped. Numbers never
 * depend on the locale. */
#ifndef CS_REPORT_CHART_H
#define CS_REPORT_CHART_H

#include <stdarg.h>
#include <stddef.h>

#include "cs-error.h"

/* ---- A growable text buffer ------------------------------------------------ */

/* Appends never fail visibly: on allocation failure the buffer is marked
 * failed, later appends do nothing, and csi_buf_take/csi_buf_ok report it.
 * The text written before the failure stays (data, len) until freed. */
typedef struct csi_buf {
    char *data; /* NUL-terminated while not failed (NULL if csi_buf_init's
                   first allocation failed, and after csi_buf_free/take) */
    size_t len;
    size_t cap;
    int failed; /* 0; 1 out of memory; 2 past max */
    /* Added with the implementation: 0 for no limit, else the most bytes
     * (NUL not counted) the text may grow to; an append past it fails the
     * buffer as if memory had run out (a size cap, and the tests' way to
     * reach the failure path). Set it after csi_buf_init. */
    size_t max;
} csi_buf;

/* Starts an empty buffer ("" in data); allocates, so it can fail (then the
 * buffer is failed from the start). */
void csi_buf_init(csi_buf *b);
/* Frees the text; b may be NULL; safe twice. */
void csi_buf_free(csi_buf *b);
/* Added with the implementation: hands the text over (the caller frees it
 * with free()) and leaves b empty and freed; NULL, with the text freed, if
 * the buffer failed (call csi_buf_ok first for the message). */
char *csi_buf_take(csi_buf *b);
void csi_buf_put(csi_buf *b, const char *s, size_t len);
void csi_buf_puts(csi_buf *b, const char *s);
/* vsnprintf: use it for integers and strings only; %f/%g depend on the
 * locale (format numbers with csi_format_human or cs_format_double). */
void csi_buf_printf(csi_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text escaped for HTML and SVG content and attribute values (& < > " '),
 * bytes that are not valid UTF-8 or are control characters other than tab
 * and line feed replaced by U+FFFD. */
void csi_buf_escape(csi_buf *b, const char *s, size_t len);
void csi_buf_escapes(csi_buf *b, const char *s);
/* CS_OK, or CS_ENOMEM (with the message in err) if an append failed. */
int csi_buf_ok(const csi_buf *b, cs_error *err);

/* ---- Numbers for people ------------------------------------------------------ */

enum csi_num_kind {
    CSI_NUM_PLAIN = 0, /* 1,234.5 : thousands separators, up to `decimals` */
    CSI_NUM_COUNT,     /* 1,234   : whole numbers */
    CSI_NUM_MONEY,     /* 1,234.50: two decimals */
    CSI_NUM_PERCENT,   /* 12.3 %  : v is a fraction (0.123) */
    CSI_NUM_DATE,      /* 2011-06-30: v is days since 1970-01-01 */
};

/* Formats v for a person: thousands separators (","), a dot for decimals,
 * `decimals` digits after it for PLAIN and PERCENT (MONEY always 2, COUNT
 * and DATE none), large magnitudes stay plain (no exponent) up to 1e15, NaN
 * and infinities give "–" (an en dash). Returns buf; size >= 48.
 * Details: values are rounded half away from zero, and one that rounds to
 * zero has no minus sign ("0.00", not "-0.00"); PLAIN drops trailing zeros
 * ("1,234.5" with 2 decimals), PERCENT keeps them ("-50.0 %", a space
 * before the % sign); decimals is clamped to 0..15; past 1e15 in magnitude
 * (1e13 for a percentage, after times 100) the number is written with 15
 * significant digits and an exponent ("1e+20"); DATE rounds to a whole day
 * and gives the en dash outside the years 1 to 9999. The locale is never
 * used. A buffer below 48 bytes gets the text cut short (never overrun). */
const char *csi_format_human(char *buf, size_t size, double v, int kind, int decimals);

/* ---- Axis ticks ------------------------------------------------------------- */

#define CSI_TICKS_MAX 16

/* Nice ticks covering [lo, hi]: steps of 1, 2 or 5 times a power of ten (for
 * DATE axes whole days, weeks, months or years as fits), about `target` of
 * them (2..CSI_TICKS_MAX), the first tick <= lo and the last >= hi. lo == hi
 * (one value) gives a range around it; negative ranges work; ranges from
 * 1e-12 to 1e15 work. `decimals` is the number of decimals that shows every
 * tick distinctly. Returns CS_OK or CS_EINVAL for NaN or infinite input.
 * Details: lo > hi are swapped; target is clamped to 2..CSI_TICKS_MAX; the
 * count is the one nearest the target (on a tie the tighter span), so n
 * may be target +- a few and at most CSI_TICKS_MAX + 1. One value v gives
 * v +- 10 % (0 gives 0 to 1). A range narrower than 1e-12 of its magnitude
 * (below what a double resolves) is widened to that around its middle.
 * COUNT steps are whole (>= 1) and its decimals 0; PERCENT decimals are
 * those of the percentage (0 to 1 by 0.2: 0); MONEY decimals are those of
 * the ticks (for plain tick labels). DATE: whole days (steps 1, 2), weeks
 * on Mondays (7, 14), first days of months (1, 2, 3, 6) or of years (1, 2,
 * 5, 10, ...); step is then the nominal length in days (a month 30.44) and
 * value[] holds the real days; decimals 0. CS_EINVAL also for magnitudes
 * above 1e300 and DATE values outside the years 1 to 9999. */
typedef struct csi_ticks {
    double lo, hi, step;
    int n;        /* ticks: lo, lo + step, ..., hi */
    int decimals; /* for csi_format_human */
    double value[CSI_TICKS_MAX + 1];
} csi_ticks;

int csi_nice_ticks(double lo, double hi, int target, int kind, csi_ticks *t);

/* ---- Charts ------------------------------------------------------------------ */

/* What every chart has. NaN bounds mean "from the data"; zero width or
 * height mean the defaults (640 x 360). x_kind / y_kind: enum csi_num_kind
 * for tick labels.
 * Details: without bounds an axis runs from the nice tick below the data to
 * the one above; given bounds are the axis ends as they are (lines outside
 * them are clipped at the plot area, marks outside are not drawn). Sizes
 * below 240 x 160 are raised to that; negative or above 20000: CS_EINVAL.
 * Money axes label their ticks as plain numbers (no fixed cents). The id is written with every
 * byte other than letters, digits, '-' and '_' made '-' (NULL or "": no id
 * attribute); all other text is escaped (csi_buf_escape). */
typedef struct csi_chart {
    const char *id;      /* the figure's id attribute (letters, digits, '-') */
    const char *title;   /* required */
    const char *note;    /* required: one line, how to read the chart */
    const char *x_label; /* axis titles with units, e.g. "weeks since first purchase" */
    const char *y_label;
    int x_kind, y_kind;
    double x_min, x_max, y_min, y_max;
    int width, height;
} csi_chart;

/* One series of a line or bar chart. For bars only y is used (one value per
 * category). style: 0 solid line, 1 dashed (model, diagonal, reference).
 * Series i has the colour i % 8 of the Okabe-Ito palette and the class
 * cs-series-(i % 8). */
typedef struct csi_series {
    const char *label; /* in the legend; NULL: not in the legend */
    const double *x;   /* n values (line charts); NULL: 0, 1, ..., n - 1 */
    const double *y;   /* n values; NaN leaves a gap */
    size_t n;
    int style;
    int markers; /* 1: a dot at each point (for few points; none past 1000) */
} csi_series;

/* A marked point with a text label (e.g. "top 20 %: 64.2 % of value" on a
 * Lorenz curve). */
typedef struct csi_mark {
    double x, y;
    const char *text;
} csi_mark;

/* Line chart: each series a polyline (split at NaN), a legend when there is
 * more than one labelled series, marks drawn as dots with their text.
 * Details: one <path> per series whatever n (points that fall on the same
 * tenth of a unit as the one before are left out); a point alone between
 * NaN gaps is drawn as a dot; a point with a NaN x or y is a gap. */
int csi_svg_lines(csi_buf *b, const csi_chart *c, const csi_series *s, size_t ns,
                  const csi_mark *marks, size_t nmarks, cs_error *err);

/* Bar chart over categories (labels[ncat]); several series side by side
 * (grouped) or stacked (stacked = 1). Values may be negative (bars go down
 * from zero). horizontal = 1 lays categories down the y axis (long labels).
 * Details: x_label titles the categories and y_label, y_kind, y_min and
 * y_max the values, whichever way the bars run (horizontal bars have the
 * value axis at the bottom); the value axis always includes zero. Stacked:
 * positive values stack up from zero and negative ones down, each in series
 * order. A series with n < ncat has no bars for the categories past n; NaN
 * draws no bar. Each bar has a <title> (series, category: value); with 24
 * bars or fewer the values are written at the bars' ends (all of them or,
 * when one does not fit, none) or, stacked, inside the segments with room.
 * Category labels are cut with an ellipsis to fit (the whole text in a
 * <title>); many vertical categories turn their labels. */
int csi_svg_bars(csi_buf *b, const csi_chart *c, const char *const *labels, size_t ncat,
                 const csi_series *s, size_t ns, int stacked, int horizontal, cs_error *err);

/* Heat map: nrows x ncols cells, value[r * ncols + c] (NaN: empty cell), a
 * sequential colour scale from the smallest to the largest finite value with
 * a legend naming value_label; cell_text (NULL, or nrows*ncols strings, NULL
 * entries for none) printed in the cells, else the value formatted with
 * value_kind. Rows run top to bottom, columns left to right; the axis titles
 * are c->y_label (rows) and c->x_label (columns).
 * Details: the scale is ColorBrewer's single-hue Blues (light: small), with
 * dark or white cell text by the cell's luminance; all values equal: one
 * middle colour. Text that does not fit its cell is left out (the cell's
 * <title> still has it). row_labels/col_labels may be NULL (no labels);
 * more than 10000 rows or columns: CS_EINVAL. Empty cells are grey with
 * the class cs-empty. */
int csi_svg_heatmap(csi_buf *b, const csi_chart *c, const char *const *row_labels, size_t nrows,
                    const char *const *col_labels, size_t ncols, const double *value,
                    const char *const *cell_text, const char *value_label, int value_kind,
                    cs_error *err);

/* A chart with nothing to draw (n == 0 everywhere, or every value NaN) is
 * a figure with the title and a sentence "No data for this chart." rather
 * than an error.
 *
 * Every chart function returns CS_OK; CS_EINVAL (nothing written) for a
 * missing title or note, series, labels or values missing where n > 0, a
 * size out of range or bounds that are not finite; CS_ENOMEM when the buffer
 * failed (csi_buf_ok's message).
 *
 * The markup: <figure class="cs-chart cs-chart-KIND" id=ID> (KIND lines,
 * bars, heatmap; cs-stacked beside bars), <figcaption><h3>, an <svg class="cs-svg"
 * viewBox="0 0 W H" width="100%" role="img" aria-label=TITLE> starting with
 * <title>, and <p class="cs-note">; with no data <p class="cs-nodata">
 * instead of the svg and note. Classes for the stylesheet: cs-grid,
 * cs-axis, cs-zero, cs-tick, cs-axis-title, cs-plot (the clipping plot area
 * of a line chart), cs-line, cs-dashed, cs-markers, cs-mark, cs-mark-text,
 * cs-legend, cs-legend-text, cs-series-0..7, cs-bars, cs-bar, cs-value,
 * cs-category, cs-cat, cs-cells, cs-cell, cs-empty, cs-cell-text, cs-scale,
 * cs-legend-title. Every element also has default stroke and fill
 * attributes, and the svg font-family="system-ui, sans-serif" and
 * font-size 12, so a chart reads without the stylesheet. Coordinates have
 * at most one decimal. */

#endif
