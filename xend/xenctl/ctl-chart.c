/*
 * ctl-chart.c: `xenctl report --chart FILE.png|FILE.svg`: the web
 * console's charts drawn with cairo from the same "series" replies: CPU
 * (% of one CPU), memory (MiB), and balloon requests (the target asked
 * for, and the time each took to comply) over the report's range, one
 * colour per domain.  The file is drawn beside its final name and
 * renamed into place, so a failure never leaves half a chart.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-svg.h>

#include "ctl.h"
#include "xmalloc.h"

const int ctl_chart_supported = 1;

#define CHART_W		960
#define PANEL_H		280
#define MARGIN_L	70
#define MARGIN_R	70
#define MARGIN_T	36
#define MARGIN_B	34
#define HEADER_H	40

static const double palette[][3] = {
	{ 0.12, 0.47, 0.71 }, { 0.84, 0.15, 0.16 }, { 0.17, 0.63, 0.17 },
	{ 1.00, 0.50, 0.05 }, { 0.58, 0.40, 0.74 }, { 0.55, 0.34, 0.29 },
	{ 0.89, 0.47, 0.76 }, { 0.50, 0.50, 0.50 },
};
#define NCOLOURS	(sizeof palette / sizeof palette[0])

/* One panel: its place and the ranges its axes show. */
struct panel {
	double		 x0, y0, w, h;	/* plot area */
	double		 t0, t1, v0, v1;
};

static double
px(const struct panel *p, double t)
{
	return p->x0 + (t - p->t0) / (p->t1 - p->t0) * p->w;
}

static double
py(const struct panel *p, double v)
{
	return p->y0 + p->h - (v - p->v0) / (p->v1 - p->v0) * p->h;
}

/* A round step giving about n ticks over span. */
static double
nice_step(double span, int n)
{
	double raw = span / n, mag = pow(10, floor(log10(raw))), f = raw / mag;

	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static void
text(cairo_t *cr, double x, double y, double align, const char *s)
{
	cairo_text_extents_t e;

	cairo_text_extents(cr, s, &e);
	cairo_move_to(cr, x - e.width * align, y);
	cairo_show_text(cr, s);
}

static void
panel_frame(cairo_t *cr, struct panel *p, const char *title,
    const char *unit)
{
	double step, v;
	char buf[64];
	time_t tt;
	struct tm tm;
	int i;

	if (p->v1 <= p->v0)
		p->v1 = p->v0 + 1;
	step = nice_step(p->v1 - p->v0, 5);
	p->v1 = ceil(p->v1 / step) * step;
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_font_size(cr, 15);
	text(cr, p->x0, p->y0 - 14, 0, title);
	cairo_set_font_size(cr, 11);
	cairo_set_line_width(cr, 1);
	for (v = p->v0; v <= p->v1 + step / 2; v += step) {
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_move_to(cr, p->x0, py(p, v));
		cairo_line_to(cr, p->x0 + p->w, py(p, v));
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		snprintf(buf, sizeof buf, "%g", v);
		text(cr, p->x0 - 6, py(p, v) + 4, 1, buf);
	}
	text(cr, p->x0 - 6, p->y0 - 14, 1, unit);
	for (i = 0; i <= 4; i++) {
		tt = (time_t)(p->t0 + (p->t1 - p->t0) * i / 4);
		gmtime_r(&tt, &tm);
		strftime(buf, sizeof buf, p->t1 - p->t0 > 2 * 86400 ?
		    "%m-%d %H:%M" : "%H:%M:%S", &tm);
		text(cr, px(p, (double)tt), p->y0 + p->h + 16, 0.5, buf);
	}
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_rectangle(cr, p->x0, p->y0, p->w, p->h);
	cairo_stroke(cr);
}

static double
arr_max(json_t *a, double m)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_is_number(v) && json_number_value(v) > m)
			m = json_number_value(v);
	return m;
}

/* A line through the non-null points of ys over ts; a null breaks it. */
static void
plot_line(cairo_t *cr, const struct panel *p, json_t *ts, json_t *ys)
{
	int pen = 0;
	size_t i;
	json_t *v;

	cairo_set_line_width(cr, 2);
	json_array_foreach(ys, i, v) {
		double t = json_number_value(json_array_get(ts, i));
		if (!json_is_number(v) || t < p->t0 || t > p->t1) {
			pen = 0;
			continue;
		}
		if (pen)
			cairo_line_to(cr, px(p, t), py(p, json_number_value(v)));
		else
			cairo_move_to(cr, px(p, t), py(p, json_number_value(v)));
		pen = 1;
	}
	cairo_stroke(cr);
}

static void
legend(cairo_t *cr, json_t *all, double y)
{
	double x = MARGIN_L;
	size_t i;
	json_t *s;

	cairo_set_font_size(cr, 12);
	json_array_foreach(all, i, s) {
		const double *c = palette[i % NCOLOURS];
		cairo_set_source_rgb(cr, c[0], c[1], c[2]);
		cairo_rectangle(cr, x, y - 9, 14, 10);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		text(cr, x + 18, y, 0, json_string_value(json_object_get(s,
		    "domain")));
		x += 150;
	}
}

static void
draw(cairo_t *cr, json_t *all, double since, double until)
{
	struct panel p = { MARGIN_L, 0, CHART_W - MARGIN_L - MARGIN_R,
	    PANEL_H - MARGIN_T - MARGIN_B, since, until, 0, 0 };
	const char *field[2] = { "cpu_pct", "mem_mib" };
	const char *title[2] = { "CPU", "Memory" };
	const char *unit[2] = { "%", "MiB" };
	double m, ms;
	size_t i, k;
	json_t *s, *b;
	int j;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	legend(cr, all, 24);
	for (j = 0; j < 2; j++) {
		p.y0 = HEADER_H + j * PANEL_H + MARGIN_T;
		m = 0;
		json_array_foreach(all, i, s)
			m = arr_max(json_object_get(s, field[j]), m);
		p.v0 = 0;
		p.v1 = m * 1.05;
		panel_frame(cr, &p, title[j], unit[j]);
		json_array_foreach(all, i, s) {
			const double *c = palette[i % NCOLOURS];
			cairo_set_source_rgb(cr, c[0], c[1], c[2]);
			plot_line(cr, &p, json_object_get(s, "t"),
			    json_object_get(s, field[j]));
		}
	}
	/* Balloon requests: a filled dot at each target asked for; a ring
	 * on the right-hand scale for the seconds it took (none: missed or
	 * pending). */
	p.y0 = HEADER_H + 2 * PANEL_H + MARGIN_T;
	m = ms = 0;
	json_array_foreach(all, i, s)
		json_array_foreach(json_object_get(s, "balloon"), k, b) {
			double tg = json_number_value(json_object_get(b,
			    "target_mib"));
			json_t *c = json_object_get(b, "comply_ms");
			if (tg > m)
				m = tg;
			if (json_is_integer(c) && json_integer_value(c) / 1000.0
			    > ms)
				ms = json_integer_value(c) / 1000.0;
		}
	p.v0 = 0;
	p.v1 = m * 1.1;
	panel_frame(cr, &p, "Balloon requests: target (dots), seconds to "
	    "comply (rings, right scale)", "MiB");
	ms = ms > 0 ? ms * 1.1 : 1;
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	cairo_set_font_size(cr, 11);
	for (j = 0; j <= 4; j++) {
		char buf[32];
		snprintf(buf, sizeof buf, "%.3g s", ms * j / 4);
		text(cr, p.x0 + p.w + 6, p.y0 + p.h - p.h * j / 4 + 4, 0, buf);
	}
	json_array_foreach(all, i, s) {
		const double *c = palette[i % NCOLOURS];
		cairo_set_source_rgb(cr, c[0], c[1], c[2]);
		json_array_foreach(json_object_get(s, "balloon"), k, b) {
			double t = (double)json_integer_value(json_object_get(b,
			    "t"));
			json_t *cm = json_object_get(b, "comply_ms");
			cairo_arc(cr, px(&p, t), py(&p, json_number_value(
			    json_object_get(b, "target_mib"))), 4, 0, 2 * M_PI);
			cairo_fill(cr);
			if (json_is_integer(cm)) {
				cairo_set_line_width(cr, 1.5);
				cairo_arc(cr, px(&p, t), p.y0 + p.h - p.h *
				    (json_integer_value(cm) / 1000.0) / ms, 5,
				    0, 2 * M_PI);
				cairo_stroke(cr);
			}
		}
	}
}

int
ctl_chart_write(const char *path, json_t *all, int64_t since, int64_t until,
    char **error)
{
	size_t len = strlen(path);
	int svg = len > 4 && strcmp(path + len - 4, ".svg") == 0;
	int height = HEADER_H + 3 * PANEL_H;
	cairo_surface_t *sf;
	cairo_status_t st;
	cairo_t *cr;
	char *tmp;

	xasprintf(&tmp, "%s.tmp%ld", path, (long)getpid());
	if (svg)
		sf = cairo_svg_surface_create(tmp, CHART_W, height);
	else
		sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CHART_W,
		    height);
	cr = cairo_create(sf);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	draw(cr, all, (double)since, (double)until);
	st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS && !svg)
		st = cairo_surface_write_to_png(sf, tmp);
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS || rename(tmp, path) != 0) {
		xasprintf(error, "writing %s: %s", path, st !=
		    CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) :
		    strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
