/*
 * ctl-host.c: "host-shutdown": stop or save every domU because dom0 is
 * going down (dom0's /sbin/poweroff runs it).  xend does the work
 * (daemon/hostdown.c); its progress items are one line per guest, which
 * ctl_progress_show prints as they come, so the console shows each guest
 * go ("shutting down linux1 ... done in 2.1 s").
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"

int
ctl_host_shutdown_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("host-shutdown", NULL);
	json_t *args, *res, *g;
	size_t i, destroyed = 0, n;
	int rc;

	if ((rc = ctl_args_only(self, argc, argv, NULL, 0)) != EXIT_OK)
		return rc;
	args = json_object();
	json_object_set_new(args, "progress", json_true());
	/* Saves and the guests' own shutdowns take as long as they take;
	 * xend bounds them (host_shutdown_timeout). */
	c->slow = 1;
	ctl_connect(c);
	res = ctl_call(c, "host-shutdown", args);
	if (c->json) {
		ctl_print_json_line(res);
		json_decref(res);
		return EXIT_OK;
	}
	n = json_array_size(json_object_get(res, "guests"));
	json_array_foreach(json_object_get(res, "guests"), i, g)
		destroyed += strcmp(json_string_value(json_object_get(g,
		    "outcome")), "destroyed") == 0;
	if (n == 0)
		printf("host-shutdown: no guests were running\n");
	else
		printf("host-shutdown: %zu guest%s down (%s)%s\n", n,
		    n == 1 ? "" : "s",
		    json_string_value(json_object_get(res, "mode")),
		    destroyed > 0 ? "; some had to be destroyed" : "");
	json_decref(res);
	return EXIT_OK;
}
