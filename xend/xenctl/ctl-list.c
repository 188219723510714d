/*
 * ctl-list.c: "list" and "info": tables and key/value views of xend's
 * read-only replies.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"

static json_int_t
num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "-";
}

int
ctl_list_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("list", NULL);
	json_t *res, *d;
	size_t i;

	int rc;

	if ((rc = ctl_args_only(self, argc, argv, NULL, 0)) != EXIT_OK)
		return rc;
	ctl_connect(c);
	res = ctl_call(c, "list", NULL);
	if (c->json) {
		ctl_print_json(res);
		json_decref(res);
		return EXIT_OK;
	}
	printf("%-32s %5s %9s %5s %-9s %10s\n", "Name", "ID", "Mem(MiB)",
	    "VCPUs", "State", "Time(s)");
	/* VCPUs: those up now, as `xl list` shows (vcpu-set moves it);
	 * how many it was built with (maxvcpus) is `info`'s "vcpus". */
	json_array_foreach(json_object_get(res, "domains"), i, d) {
		printf("%-32s %5" JSON_INTEGER_FORMAT " %9" JSON_INTEGER_FORMAT
		    " %5" JSON_INTEGER_FORMAT " %-9s %10.1f\n", str(d, "name"),
		    num(d, "domid"), num(d, "mem_kib") / 1024,
		    json_object_get(d, "online_vcpus") != NULL ?
		    num(d, "online_vcpus") : num(d, "vcpus"),
		    str(d, "state"), (double)num(d, "cpu_ns") / 1e9);
	}
	json_decref(res);
	return EXIT_OK;
}

static void
print_host(json_t *h)
{
	printf("backend:          %s\n", str(h, "backend"));
	printf("hypervisor:       %s\n", str(h, "hypervisor"));
	printf("boot id:          %s\n", str(h, "boot_id"));
	printf("cpus:             %" JSON_INTEGER_FORMAT "\n", num(h, "cpus"));
	printf("total memory:     %" JSON_INTEGER_FORMAT " MiB\n",
	    num(h, "total_kib") / 1024);
	printf("free memory:      %" JSON_INTEGER_FORMAT " MiB\n",
	    num(h, "free_kib") / 1024);
	printf("domains:          %" JSON_INTEGER_FORMAT "\n",
	    num(h, "domains"));
	printf("xend version:     %s (protocol %" JSON_INTEGER_FORMAT ")\n",
	    str(h, "xend_version"), num(h, "protocol"));
	printf("xend uptime:      %" JSON_INTEGER_FORMAT " s\n",
	    num(h, "uptime_s"));
	printf("clients:          %" JSON_INTEGER_FORMAT "\n",
	    num(h, "clients"));
	printf("jobs:             %" JSON_INTEGER_FORMAT " (create, save, "
	    "restore running or queued)\n", num(h, "jobs"));
	printf("sample interval:  %" JSON_INTEGER_FORMAT " ms\n",
	    num(h, "sample_interval_ms"));
	printf("database:         %s (%" JSON_INTEGER_FORMAT " samples, %"
	    JSON_INTEGER_FORMAT " log lines)\n", str(h, "database"),
	    num(h, "samples"), num(h, "log_lines"));
}

static void
print_domain(json_t *d)
{
	json_t *cn = json_object_get(d, "counters");
	const char *cfg = json_string_value(json_object_get(d, "config"));

	printf("name:             %s\n", str(d, "name"));
	printf("domain id:        %" JSON_INTEGER_FORMAT "\n", num(d, "domid"));
	printf("uuid:             %s\n", str(d, "uuid"));
	printf("state:            %s", str(d, "state"));
	if (json_object_get(d, "shutdown_reason") != NULL)
		printf(" (%s)", str(d, "shutdown_reason"));
	printf("\n");
	printf("memory:           %" JSON_INTEGER_FORMAT " MiB (target %"
	    JSON_INTEGER_FORMAT ", max %" JSON_INTEGER_FORMAT ")\n",
	    num(d, "mem_kib") / 1024, num(d, "target_kib") / 1024,
	    num(d, "maxmem_kib") / 1024);
	printf("vcpus:            %" JSON_INTEGER_FORMAT "\n", num(d, "vcpus"));
	if (json_object_get(d, "online_vcpus") != NULL)
		printf("vcpus online:     %" JSON_INTEGER_FORMAT "\n",
		    num(d, "online_vcpus"));
	printf("cpu time:         %.3f s\n", (double)num(d, "cpu_ns") / 1e9);
	printf("hypercalls:       %" JSON_INTEGER_FORMAT "\n",
	    num(cn, "hypercalls"));
	printf("events:           %" JSON_INTEGER_FORMAT "\n",
	    num(cn, "events"));
	printf("page faults:      %" JSON_INTEGER_FORMAT "\n",
	    num(cn, "page_faults"));
	if (json_object_get(d, "on_poweroff") != NULL) {
		printf("kernel:           %s\n", str(d, "kernel"));
		printf("cmdline:          %s\n", str(d, "cmdline"));
		printf("on_poweroff:      %s\n", str(d, "on_poweroff"));
		printf("on_reboot:        %s\n", str(d, "on_reboot"));
		printf("on_crash:         %s\n", str(d, "on_crash"));
	}
	if (cfg != NULL)
		printf("config (%s):\n%s%s", str(d, "config_path"), cfg,
		    cfg[0] && cfg[strlen(cfg) - 1] != '\n' ? "\n" : "");
}

int
ctl_info_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("info", NULL);
	const char *dom;
	json_t *args, *res;
	int i, npos = 0, rc;

	/* DOMAIN is optional: no ctl_args_complete. */
	for (i = 1; i < argc; i++)
		if ((rc = ctl_arg_positional(self, argv[i], &dom, &npos, 1)) !=
		    EXIT_OK)
			return rc;
	args = json_object();
	if (npos == 1)
		json_object_set_new(args, "domain", json_string(dom));
	ctl_connect(c);
	res = ctl_call(c, "info", args);
	if (c->json)
		ctl_print_json(res);
	else if (npos == 1)
		print_domain(json_object_get(res, "domain"));
	else
		print_host(json_object_get(res, "host"));
	json_decref(res);
	return EXIT_OK;
}
