/*
 * ctl-log.c: "log": print the hypervisor log, and with -f keep printing
 * new lines as xend streams them.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "strnum.h"

static void
print_lines(struct ctl *c, json_t *lines)
{
	json_t *l;
	size_t i;

	json_array_foreach(lines, i, l) {
		if (c->json) {
			json_dumpf(l, stdout, JSON_COMPACT | JSON_SORT_KEYS);
			fputc('\n', stdout);
		} else
			printf("%s\n", json_string_value(json_object_get(l,
			    "line")));
	}
	fflush(stdout);
}

int
ctl_log_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("log", NULL);
	const char *cause;
	uint64_t lines = 100;
	int i, follow = 0;
	json_t *args, *res, *item;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0 ||
		    strcmp(argv[i], "--follow") == 0)
			follow = 1;
		else if (strcmp(argv[i], "-n") == 0 ||
		    strcmp(argv[i], "--lines") == 0) {
			if (++i == argc)
				return ctl_usage_error(self, "-n needs a "
				    "number");
			if (strnum_u64(argv[i], 1, 100000, &lines, &cause) != 0)
				return ctl_usage_error(self, "bad line count "
				    "\"%s\": %s (1 to 100000)", argv[i], cause);
		} else
			return ctl_usage_error(self, "unexpected argument "
			    "\"%s\"", argv[i]);
	}
	args = json_object();
	json_object_set_new(args, "lines", json_integer((json_int_t)lines));
	if (follow)
		json_object_set_new(args, "follow", json_true());
	ctl_connect(c);
	res = ctl_call(c, "log", args);
	if (c->json && !follow)
		ctl_print_json(res);
	else
		print_lines(c, json_object_get(res, "lines"));
	json_decref(res);
	if (!follow)
		return EXIT_OK;
	while ((item = ctl_next_stream(c)) != NULL) {
		print_lines(c, json_object_get(item, "lines"));
		json_decref(item);
	}
	fprintf(stderr, "xenctl: xend closed the connection\n");
	return EXIT_NOCONN;
}
