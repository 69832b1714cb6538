/* custseg: what the SVG chart files of lib/report share (svg-frame.c,
 * svg-lines.c, svg-bars.c, svg-heatmap.c): layout constants, the frame of
 * a chart, and the writers of numbers, text, axes and legends. Internal to
 * the report layer. */
#ifndef CS_REPORT_SVG_INTERNAL_H
#define CS_REPORT_SVG_INTERNAL_H

#include "report/chart.h"

#include <stddef.h>

#define CSI_DRAW_W 640 /* the default size */
#define CSI_DRAW_H 360
#define FONT 12.0  /* the svg's font size */
#define SMALL 11.0 /* ticks, labels, legends */
#define CHAR_W 0.6 /* the average width of a character, in font sizes */
#define PAD 8.0    /* the margin around everything */
#define LEGEND_ROW 18.0
#define LEGEND_X (PAD + FONT + 8) /* where a legend starts: right of the y axis title */
#define ELLIPSIS "\xe2\x80\xa6"

/* The picture (viewBox w x h), the plot area in it and the value domains
 * its axes run over. */
typedef struct csi_draw_frame {
    double w, h;           /* the viewBox */
    double x0, x1, y0, y1; /* the plot area */
    double dlo, dhi;       /* value domain of the x axis (lines, horizontal bars) */
    double vlo, vhi;       /* value domain of the y axis */
} csi_draw_frame;

/* Series i's colour: Okabe-Ito, i % 8. Static string. */
const char *csi_draw_colour(size_t i);

/* A coordinate or length with at most one decimal; attr writes ` name="v"`. */
void csi_draw_num(csi_buf *b, double v);
void csi_draw_attr(csi_buf *b, const char *name, double v);
/* <line [class="cls"] x1 x2 y1 y2/> and a line feed; cls may be NULL. */
void csi_draw_line(csi_buf *b, const char *cls, double x1, double y1, double x2, double y2);
/* Code points in s, and the estimated width of s at font size fs. */
size_t csi_draw_chars(const char *s);
double csi_draw_text_width(const char *s, double fs);
/* s escaped and cut to budget characters with an ellipsis; 1 when cut. */
int csi_draw_cut(csi_buf *b, const char *s, size_t budget);
/* <text class=cls x y extra>s</text>, cut to budget with the whole text in
 * a <title> child when cut. */
void csi_draw_text(csi_buf *b, double x, double y, const char *cls, const char *extra,
                   const char *s, size_t budget);

/* How many characters of font size fs fit in width (0 when none). */
size_t csi_draw_budget(double width, double fs);
/* Keeps the plot area at least 40 x 30 (moving its left and top edges) when
 * the margins took too much of a small picture. */
void csi_draw_fit(csi_draw_frame *f);

/* The chart's arguments (CS_EINVAL with a message) and size. */
int csi_draw_check(csi_buf *b, const csi_chart *c, cs_error *err);
void csi_draw_size(const csi_chart *c, double *w, double *h);
/* <figure class="cs-chart cs-chart-KIND" id><figcaption><h3>title...; and
 * the note closing it. */
void csi_draw_figure_open(csi_buf *b, const csi_chart *c, const char *kind);
void csi_draw_figure_close(csi_buf *b, const csi_chart *c);
/* The figure of a chart without data; returns csi_buf_ok. */
int csi_draw_no_data(csi_buf *b, const csi_chart *c, const char *kind, cs_error *err);
void csi_draw_svg_open(csi_buf *b, const csi_chart *c, const csi_draw_frame *f);
void csi_draw_svg_close(csi_buf *b);

/* v from [lo, hi] to [p0, p1] (the middle when lo == hi). */
double csi_draw_map(double v, double lo, double hi, double p0, double p1);
/* The widest tick label. */
double csi_draw_ticks_width(const csi_ticks *t, int kind);
/* Ticks of an axis len long from the data's lo..hi, or the bounds bmin,
 * bmax where not NaN; horizontal axes fit their labels side by side. The
 * domain (dlo, dhi) is the ticks' span or the bounds. */
int csi_draw_axis_ticks(double lo, double hi, double bmin, double bmax, double len, int kind,
                        int horizontal, csi_ticks *t, double *dlo, double *dhi);
/* Grid lines and labels of the value axis up the left (vlo..vhi), of the
 * axis along the bottom (dlo..dhi), the axis lines (and zero lines), and
 * the axis titles. */
void csi_draw_y_axis(csi_buf *b, const csi_draw_frame *f, const csi_ticks *t, int kind);
void csi_draw_x_axis(csi_buf *b, const csi_draw_frame *f, const csi_ticks *t, int kind, int grid);
void csi_draw_axis_lines(csi_buf *b, const csi_draw_frame *f, int zero_y, int zero_x);
void csi_draw_axis_titles(csi_buf *b, const csi_draw_frame *f, const char *xl, const char *yl);

enum { SWATCH_LINE, SWATCH_BOX };
/* The legend of the labelled series from x0 to x1 at baseline y, drawn when
 * b is not NULL; returns its rows. */
int csi_draw_legend(csi_buf *b, const csi_series *s, size_t ns, int swatch, double x0, double x1,
                    double y);
/* How many series have a label. */
size_t csi_draw_labelled(const csi_series *s, size_t ns);

#endif
