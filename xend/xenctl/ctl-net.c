/*
 * ctl-net.c: `xenctl network-attach`, `network-detach` and
 * `network-list`, a running domain's vifs (docs/devices.md).  attach
 * takes xl's KEY=VALUE words (mac, bridge, ip, rate); xend checks their
 * values as it checks a config's `vif` entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static const char *const attach_keys[] = { "mac", "bridge", "ip", "rate" };

int
ctl_network_attach_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("network-attach", NULL);
	const char *dom, *eq;
	json_t *args, *res;
	size_t k;
	int i, npos = 0, rc;

	args = json_object();
	for (i = 1; i < argc; i++) {
		/* DOMAIN first, then mac=/bridge=/ip=/rate= words. */
		if (npos == 0 || (argv[i][0] == '-' && argv[i][1] != '\0')) {
			if ((rc = ctl_arg_positional(self, argv[i], &dom,
			    &npos, 1)) != EXIT_OK) {
				json_decref(args);
				return rc;
			}
			continue;
		}
		eq = strchr(argv[i], '=');
		for (k = 0; eq != NULL && k < sizeof attach_keys /
		    sizeof attach_keys[0]; k++)
			if (strlen(attach_keys[k]) == (size_t)(eq - argv[i]) &&
			    strncmp(argv[i], attach_keys[k], eq - argv[i]) == 0)
				break;
		if (eq == NULL || k == sizeof attach_keys /
		    sizeof attach_keys[0]) {
			json_decref(args);
			return ctl_usage_error(self, "\"%s\" is not mac=, "
			    "bridge=, ip= or rate=", argv[i]);
		}
		if (json_object_get(args, attach_keys[k]) != NULL) {
			json_decref(args);
			return ctl_usage_error(self, "%s= given twice",
			    attach_keys[k]);
		}
		json_object_set_new(args, attach_keys[k], json_string(eq + 1));
	}
	if ((rc = ctl_args_complete(self, npos, 1)) != EXIT_OK) {
		json_decref(args);
		return rc;
	}
	json_object_set_new(args, "domain", json_string(dom));
	ctl_connect(c);
	res = ctl_call(c, "network-attach", args);
	if (c->json)
		ctl_print_json(res);
	else
		printf("%s: vif %lld, mac %s on %s\n", json_string_value(
		    json_object_get(res, "name")), (long long)
		    json_integer_value(json_object_get(res, "devid")),
		    json_string_value(json_object_get(res, "mac")),
		    json_string_value(json_object_get(res, "bridge")));
	json_decref(res);
	return EXIT_OK;
}

int
ctl_network_detach_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("network-detach", NULL);
	const char *pos[2];
	json_t *args, *res;
	int rc;

	if ((rc = ctl_args_only(self, argc, argv, pos, 2)) != EXIT_OK)
		return rc;
	args = json_object();
	json_object_set_new(args, "domain", json_string(pos[0]));
	json_object_set_new(args, "device", json_string(pos[1]));
	ctl_connect(c);
	res = ctl_call(c, "network-detach", args);
	if (c->json)
		ctl_print_json(res);
	else
		printf("%s: vif %lld (%s) detaching\n", json_string_value(
		    json_object_get(res, "name")), (long long)
		    json_integer_value(json_object_get(res, "devid")),
		    json_string_value(json_object_get(res, "mac")));
	json_decref(res);
	return EXIT_OK;
}

int
ctl_network_list_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("network-list", NULL);
	json_t *args, *res, *v;
	const char *origin, *dom;
	size_t i;
	int rc;

	if ((rc = ctl_args_only(self, argc, argv, &dom, 1)) != EXIT_OK)
		return rc;
	args = json_object();
	json_object_set_new(args, "domain", json_string(dom));
	ctl_connect(c);
	res = ctl_call(c, "network-list", args);
	if (c->json)
		ctl_print_json(res);
	else {
		printf("%-5s %-17s %-15s %-15s %-13s %s\n", "Idx", "MAC",
		    "Bridge", "Interface", "State", "From");
		json_array_foreach(json_object_get(res, "vifs"), i, v) {
			origin = json_string_value(json_object_get(v,
			    "origin"));
			printf("%-5lld %-17s %-15s %-15s %-13s %s\n",
			    (long long)json_integer_value(json_object_get(v,
			    "devid")),
			    json_string_value(json_object_get(v, "mac")),
			    json_string_value(json_object_get(v, "bridge")),
			    json_string_value(json_object_get(v, "ifname")),
			    json_string_value(json_object_get(v, "state")),
			    origin != NULL && strcmp(origin, "hot-attached")
			    == 0 ? "hot" : "config");
		}
	}
	json_decref(res);
	return EXIT_OK;
}
