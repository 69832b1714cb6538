/* Line charts: one path per series, split at gaps, with markers, marks and
 * a legend. */
#include "report/svg-internal.h"
#include "util/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double xval(const csi_series *s, size_t i)
{
    return s->x ? s->x[i] : (double)i;
}

#define MARKERS_MAX 1000

int csi_svg_lines(csi_buf *b, const csi_chart *c, const csi_series *s, size_t ns,
                  const csi_mark *marks, size_t nmarks, cs_error *err)
{
    int rc = csi_draw_check(b, c, err);
    if (rc != CS_OK)
        return rc;
    if ((ns && !s) || (nmarks && !marks))
        return csi_fail(err, CS_EINVAL, "chart '%.100s': series or marks missing", c->title);
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    size_t points = 0;
    for (size_t k = 0; k < ns; k++) {
        if (s[k].n && !s[k].y)
            return csi_fail(err, CS_EINVAL, "chart '%.100s': series %zu has no values", c->title,
                            k);
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
        return csi_draw_no_data(b, c, "lines", err);
    for (size_t k = 0; k < nmarks; k++) {
        if (!isfinite(marks[k].x) || !isfinite(marks[k].y))
            continue;
        xlo = fmin(xlo, marks[k].x);
        xhi = fmax(xhi, marks[k].x);
        ylo = fmin(ylo, marks[k].y);
        yhi = fmax(yhi, marks[k].y);
    }

    csi_draw_frame f = {0};
    csi_draw_size(c, &f.w, &f.h);
    int show_legend = csi_draw_labelled(s, ns) > 1;
    int rows = show_legend ? csi_draw_legend(NULL, s, ns, SWATCH_LINE, LEGEND_X, f.w - PAD, 0) : 0;
    f.y0 = PAD + 6 + rows * LEGEND_ROW;
    f.y1 = f.h - PAD - (c->x_label && *c->x_label ? FONT + 6 : 0) - 22;
    csi_draw_fit(&f);
    csi_ticks yt, xt;
    rc = csi_draw_axis_ticks(ylo, yhi, c->y_min, c->y_max, f.y1 - f.y0, c->y_kind, 0, &yt, &f.vlo,
                             &f.vhi);
    if (rc == CS_OK) {
        f.x0 = PAD + (c->y_label && *c->y_label ? FONT + 8 : 0) +
               csi_draw_ticks_width(&yt, c->y_kind) + 8;
        f.x1 = f.w - PAD - 12;
        csi_draw_fit(&f);
        rc = csi_draw_axis_ticks(xlo, xhi, c->x_min, c->x_max, f.x1 - f.x0, c->x_kind, 1, &xt,
                                 &f.dlo, &f.dhi);
    }
    if (rc != CS_OK)
        return csi_fail(err, rc, "chart '%.100s': the axes' bounds are not finite numbers",
                        c->title);

    csi_draw_figure_open(b, c, "lines");
    csi_draw_svg_open(b, c, &f);
    csi_draw_y_axis(b, &f, &yt, c->y_kind);
    csi_draw_x_axis(b, &f, &xt, c->x_kind, 0);
    csi_draw_axis_lines(b, &f, 1, 0);
    csi_draw_axis_titles(b, &f, c->x_label, c->y_label);
    if (show_legend)
        csi_draw_legend(b, s, ns, SWATCH_LINE, LEGEND_X, f.w - PAD, PAD + 12);

    /* the plot area clips what lies outside the bounds */
    double pw = f.x1 - f.x0, ph = f.y1 - f.y0;
    csi_buf_puts(b, "<svg class=\"cs-plot\" overflow=\"hidden\"");
    csi_draw_attr(b, "x", f.x0);
    csi_draw_attr(b, "y", f.y0);
    csi_draw_attr(b, "width", pw);
    csi_draw_attr(b, "height", ph);
    csi_buf_puts(b, ">\n");
    for (size_t k = 0; k < ns; k++) {
        const char *col = csi_draw_colour(k);
        csi_buf_printf(b,
                       "<path class=\"cs-line cs-series-%zu%s\" fill=\"none\" stroke=\"%s\" "
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
            double sx = csi_draw_map(x, f.dlo, f.dhi, 0, pw),
                   sy = csi_draw_map(y, f.vlo, f.vhi, ph, 0);
            long qx = lround(sx * 10), qy = lround(sy * 10);
            if (open && qx == px && qy == py)
                continue; /* the same spot at this resolution */
            csi_buf_puts(b, open ? "L" : (any ? " M" : "M"));
            csi_draw_num(b, sx);
            csi_buf_puts(b, " ");
            csi_draw_num(b, sy);
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
                int next =
                    i + 1 < s[k].n && isfinite(xval(&s[k], i + 1)) && isfinite(s[k].y[i + 1]);
                if (!fin || prev || next)
                    continue;
                if (!open_g)
                    csi_buf_printf(b, "<g class=\"cs-markers cs-series-%zu\" fill=\"%s\">", k % 8,
                                   col);
                open_g = 1;
                csi_buf_puts(b, "<circle");
                csi_draw_attr(b, "cx", csi_draw_map(xval(&s[k], i), f.dlo, f.dhi, 0, pw));
                csi_draw_attr(b, "cy", csi_draw_map(s[k].y[i], f.vlo, f.vhi, ph, 0));
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
                csi_draw_attr(b, "cx", csi_draw_map(x, f.dlo, f.dhi, 0, pw));
                csi_draw_attr(b, "cy", csi_draw_map(y, f.vlo, f.vhi, ph, 0));
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
        double px = csi_draw_map(x, f.dlo, f.dhi, f.x0, f.x1),
               py = csi_draw_map(y, f.vlo, f.vhi, f.y1, f.y0);
        csi_buf_puts(b, "<g class=\"cs-mark\">\n<circle");
        csi_draw_attr(b, "cx", px);
        csi_draw_attr(b, "cy", py);
        csi_buf_puts(b, " r=\"4\" fill=\"#222222\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>\n");
        if (marks[k].text && *marks[k].text) {
            double tw = csi_draw_text_width(marks[k].text, SMALL);
            int right = px + 8 + tw <= f.x1 || px - 8 - tw < f.x0;
            double tx = right ? px + 8 : px - 8;
            /* below the dot on a rising curve's left, where the plot is empty */
            double ty = py + 14 <= f.y1 - 2 ? py + 14 : py - 8;
            csi_draw_text(b, tx, ty, "cs-mark-text",
                          right ? " font-size=\"11\" fill=\"#222222\" paint-order=\"stroke\" "
                                  "stroke=\"#ffffff\" stroke-width=\"3\""
                                : " font-size=\"11\" fill=\"#222222\" paint-order=\"stroke\" "
                                  "stroke=\"#ffffff\" stroke-width=\"3\" text-anchor=\"end\"",
                          marks[k].text, 60);
        }
        csi_buf_puts(b, "</g>\n");
    }
    csi_draw_svg_close(b);
    csi_draw_figure_close(b, c);
    return csi_buf_ok(b, err);
}
