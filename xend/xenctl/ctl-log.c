/*
 * ctl-log.c: "log": print the hypervisor log, and with -f keep printing
 * new lines as xend streams them.  --source keeps the lines of one
 * source (the filter is here: the log stays one sequence in xend):
 *   hypervisor  the hypervisor's own messages ("(XEN) [t] text")
 *   dom0        what dom0 printed on its console ("(d0) text")
 *   DOMAIN      what the domain printed ("(XEN) [t] (dN) text") and the
 *               hypervisor's messages about it ("(XEN) [t] dN: ...")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "strnum.h"

enum source { SRC_ALL, SRC_HV, SRC_DOM0, SRC_DOMAIN };

struct filter {
	enum source	 src;
	long		 domid;
	size_t		 skip;		/* lines to leave out first (-n) */
};

/* Does line come from f's source? */
static int
wanted(const struct filter *f, const char *line)
{
	const char *rest = line, *p;
	int hv = 0;
	char *end;
	long id;

	if (f->src == SRC_ALL)
		return 1;
	/* "(XEN) [   1.234567] " */
	if (strncmp(line, "(XEN) ", 6) == 0) {
		hv = 1;
		rest = line + 6;
		if (*rest == '[' && (p = strchr(rest, ']')) != NULL)
			rest = p + 1 + (p[1] == ' ');
	}
	id = -1;
	if (rest[0] == '(' && rest[1] == 'd') {
		id = strtol(rest + 2, &end, 10);
		if (end == rest + 2 || *end != ')')
			id = -1;
		else if (f->src == SRC_DOM0)
			return id == 0;
		else if (f->src == SRC_DOMAIN)
			return id == f->domid;
		else
			return 0;	/* a domain's console line */
	}
	switch (f->src) {
	case SRC_HV:
		return hv;
	case SRC_DOM0:
		return 0;
	default:
		if (!hv || rest[0] != 'd')
			return 0;
		id = strtol(rest + 1, &end, 10);
		return end != rest + 1 && (*end == ':' || *end == ' ') &&
		    id == f->domid;
	}
}

static void
print_lines(struct ctl *c, json_t *lines, struct filter *f)
{
	json_t *l;
	size_t i;

	json_array_foreach(lines, i, l) {
		if (!wanted(f, json_string_value(json_object_get(l, "line"))))
			continue;
		if (f->skip > 0) {
			f->skip--;
			continue;
		}
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
	uint64_t lines = 100, lines_id;
	int i, follow = 0;
	json_t *args, *res, *item, *l, *v;
	struct filter f = { SRC_ALL, -1, 0 };
	const char *source = NULL;
	size_t k, n;

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
		} else if (strcmp(argv[i], "--source") == 0) {
			if (++i == argc)
				return ctl_usage_error(self, "--source needs "
				    "hypervisor, dom0 or a domain");
			source = argv[i];
		} else
			return ctl_usage_error(self, "unexpected argument "
			    "\"%s\"", argv[i]);
	}
	ctl_connect(c);
	if (source == NULL)
		f.src = SRC_ALL;
	else if (strcmp(source, "hypervisor") == 0)
		f.src = SRC_HV;
	else if (strcmp(source, "dom0") == 0)
		f.src = SRC_DOM0;
	else {
		/* A domain: its id (it may be gone), or a name xend knows. */
		f.src = SRC_DOMAIN;
		if (strnum_u64(source, 0, 0x7fef, &lines_id, &cause) == 0)
			f.domid = (long)lines_id;
		else {
			args = json_object();
			json_object_set_new(args, "domain",
			    json_string(source));
			res = ctl_call(c, "info", args);
			v = json_object_get(json_object_get(res, "domain"),
			    "domid");
			f.domid = (long)json_integer_value(v);
			json_decref(res);
		}
	}
	args = json_object();
	/* With a source, the newest LINES of that source: ask for all. */
	json_object_set_new(args, "lines", json_integer((json_int_t)
	    (f.src == SRC_ALL ? lines : 100000)));
	if (follow)
		json_object_set_new(args, "follow", json_true());
	res = ctl_call(c, "log", args);
	if (f.src != SRC_ALL) {
		n = 0;
		json_array_foreach(json_object_get(res, "lines"), k, l)
			n += wanted(&f, json_string_value(json_object_get(l,
			    "line")));
		f.skip = n > lines ? n - lines : 0;
	}
	if (c->json && !follow && f.src == SRC_ALL)
		ctl_print_json(res);
	else
		print_lines(c, json_object_get(res, "lines"), &f);
	json_decref(res);
	if (!follow)
		return EXIT_OK;
	while ((item = ctl_next_stream(c)) != NULL) {
		print_lines(c, json_object_get(item, "lines"), &f);
		json_decref(item);
	}
	fprintf(stderr, "xenctl: xend closed the connection\n");
	return EXIT_NOCONN;
}
