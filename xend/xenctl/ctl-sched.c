/*
 * ctl-sched.c: `xenctl sched` (a domain's weight and cap) and `xenctl
 * vcpu-pin` (a vCPU's hard affinity).  Arguments are checked here (a
 * weight is a number, CPUS is xl's syntax) before anything is sent; xend
 * checks the rest against the host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "strnum.h"

/* "NAME (id N): weight W, cap C%|none" and one line per vCPU. */
static void
print_sched(json_t *res)
{
	json_t *pins = json_object_get(res, "vcpus"), *p;
	json_int_t cap = json_integer_value(json_object_get(res, "cap"));
	size_t i;

	printf("%s (id %lld): weight %lld, cap ", json_string_value(
	    json_object_get(res, "name")), (long long)json_integer_value(
	    json_object_get(res, "domid")), (long long)json_integer_value(
	    json_object_get(res, "weight")));
	if (cap == 0)
		printf("none\n");
	else
		printf("%lld%%\n", (long long)cap);
	json_array_foreach(pins, i, p)
		printf("  vCPU %lld: CPUs %s\n", (long long)json_integer_value(
		    json_object_get(p, "vcpu")), json_string_value(
		    json_object_get(p, "cpus")));
}

static int
want_number(const struct ctl_cmd *self, const char *opt, const char *val,
    uint64_t max, uint64_t *out)
{
	const char *cause;

	if (val == NULL)
		return ctl_usage_error(self, "%s needs a number", opt);
	if (strnum_u64(val, 0, max, out, &cause) != 0)
		return ctl_usage_error(self, "%s \"%s\": %s", opt, val, cause);
	return EXIT_OK;
}

int
ctl_sched_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("sched", NULL);
	const char *dom;
	uint64_t weight = 0, cap = 0;
	int i, npos = 0, has_w = 0, has_c = 0, rc;
	json_t *args, *res;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--weight") == 0 ||
		    strcmp(argv[i], "-w") == 0) {
			if ((rc = want_number(self, "--weight", i + 1 < argc ?
			    argv[i + 1] : NULL, 65535, &weight)) != EXIT_OK)
				return rc;
			if (weight == 0)
				return ctl_usage_error(self, "--weight must be "
				    "1..65535 (the default is 256)");
			has_w = 1;
			i++;
		} else if (strcmp(argv[i], "--cap") == 0 ||
		    strcmp(argv[i], "-c") == 0) {
			if ((rc = want_number(self, "--cap", i + 1 < argc ?
			    argv[i + 1] : NULL, 6400, &cap)) != EXIT_OK)
				return rc;
			has_c = 1;
			i++;
		} else if ((rc = ctl_arg_positional(self, argv[i], &dom, &npos,
		    1)) != EXIT_OK)
			return rc;
	}
	if ((rc = ctl_args_complete(self, npos, 1)) != EXIT_OK)
		return rc;
	args = json_object();
	json_object_set_new(args, "domain", json_string(dom));
	if (has_w)
		json_object_set_new(args, "weight",
		    json_integer((json_int_t)weight));
	if (has_c)
		json_object_set_new(args, "cap", json_integer((json_int_t)cap));
	ctl_connect(c);
	res = ctl_call(c, "sched", args);
	if (c->json)
		ctl_print_json(res);
	else
		print_sched(res);
	json_decref(res);
	return EXIT_OK;
}

int
ctl_vcpu_pin_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("vcpu-pin", NULL);
	const char *pos[3], *cause;
	uint64_t vcpu, mask;
	json_t *args, *res;
	int rc;

	if ((rc = ctl_args_only(self, argc, argv, pos, 3)) != EXIT_OK)
		return rc;
	if (strnum_u64(pos[1], 0, 127, &vcpu, &cause) != 0)
		return ctl_usage_error(self, "VCPU \"%s\": %s", pos[1], cause);
	if (strnum_cpus(pos[2], &mask, &cause) != 0)
		return ctl_usage_error(self, "CPUS \"%s\": %s", pos[2], cause);
	args = json_object();
	json_object_set_new(args, "domain", json_string(pos[0]));
	json_object_set_new(args, "vcpu", json_integer((json_int_t)vcpu));
	json_object_set_new(args, "cpus", json_string(pos[2]));
	ctl_connect(c);
	res = ctl_call(c, "vcpu-pin", args);
	print_sched(res);
	json_decref(res);
	return EXIT_OK;
}

/* `xenctl vcpu-set NAME N [--wait DURATION]`: N checked as a number here
 * (1..8, what maxvcpus allows); against the domain by xend. */
int
ctl_vcpu_set_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("vcpu-set", NULL);
	const char *pos[2], *cause;
	uint64_t n, wait = 30;
	int i, npos = 0, rc, has_wait = 0;
	json_t *args, *res;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--wait") == 0) {
			/* A duration like every other command's ("30s",
			 * "2m"); a bare number is seconds, as it always was.
			 * xend takes whole seconds: 1500ms waits 2 s. */
			if (i + 1 == argc)
				return ctl_usage_error(self, "--wait needs a "
				    "duration like \"30s\" (0: do not wait)");
			if (strnum_duration_ms(argv[i + 1], &wait, &cause) != 0)
				return ctl_usage_error(self, "--wait \"%s\": %s",
				    argv[i + 1], cause);
			wait = (wait + 999) / 1000;
			if (wait > 600)
				return ctl_usage_error(self, "--wait \"%s\": at "
				    "most 10m", argv[i + 1]);
			has_wait = 1;
			i++;
		} else if ((rc = ctl_arg_positional(self, argv[i], pos, &npos,
		    2)) != EXIT_OK)
			return rc;
	}
	if ((rc = ctl_args_complete(self, npos, 2)) != EXIT_OK)
		return rc;
	if (strnum_u64(pos[1], 0, UINT32_MAX, &n, &cause) != 0)
		return ctl_usage_error(self, "N \"%s\": %s", pos[1], cause);
	args = json_object();
	json_object_set_new(args, "domain", json_string(pos[0]));
	json_object_set_new(args, "vcpus", json_integer((json_int_t)n));
	if (has_wait)
		json_object_set_new(args, "wait", json_integer((json_int_t)wait));
	ctl_connect(c);
	res = ctl_call(c, "vcpu-set", args);
	if (c->json)
		ctl_print_json(res);
	else if (has_wait && wait == 0)
		printf("%s: asked for %lld vCPUs online (of %lld); %lld online "
		    "now\n", json_string_value(json_object_get(res, "name")),
		    (long long)json_integer_value(json_object_get(res,
		    "vcpus")), (long long)json_integer_value(json_object_get(
		    res, "maxvcpus")), (long long)json_integer_value(
		    json_object_get(res, "online")));
	else
		printf("%s: %lld of %lld vCPUs online (was %lld), in %lld ms\n",
		    json_string_value(json_object_get(res, "name")),
		    (long long)json_integer_value(json_object_get(res,
		    "online")), (long long)json_integer_value(json_object_get(
		    res, "maxvcpus")), (long long)json_integer_value(
		    json_object_get(res, "was")), (long long)json_integer_value(
		    json_object_get(res, "ms")));
	json_decref(res);
	return EXIT_OK;
}
