/*
 * ctl-chart-none.c: ctl_chart_write for the static xenctl copied into
 * dom0's initramfs, which is linked without cairo (cairo needs fonts and
 * fontconfig that the busybox dom0 has not).  It says so instead of
 * drawing (ctl-report.c checks ctl_chart_supported first, so the refusal
 * comes before any request to xend); the xenctl built for the host (build/tools/xenctl, what a
 * package installs) draws with cairo (ctl-chart.c).
 */
#include <stdio.h>

#include "ctl.h"
#include "xmalloc.h"

const int ctl_chart_supported = 0;

int
ctl_chart_write(const char *path, json_t *series, int64_t since,
    int64_t until, char **error)
{
	(void)series;
	(void)since;
	(void)until;
	xasprintf(error, "%s: %s", path, CTL_CHART_UNSUPPORTED);
	return -1;
}
