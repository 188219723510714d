/*
 * ctl-block.c: `xenctl block-attach`, `block-detach` and `block-list`,
 * the disks of a running domain.  The disk entry is checked here with
 * the same parser a config file's `disk =` goes through, so a typo is
 * reported (exit 2) before anything is sent; xend checks it again and
 * checks the target itself.  block-detach waits for the guest to close
 * the disk (xend answers "not yet" until its blkfront has), at most
 * --timeout; --force removes it whatever the guest is doing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "ctl.h"
#include "strnum.h"

#define DETACH_TIMEOUT_MS	20000	/* default --timeout */
#define DETACH_POLL_MS		200

/* The xenbus state's name (xen/io/xenbus.h's enum xenbus_state), as
 * xenstore-ls users and Linux's own messages spell it; --json keeps the
 * number. */
static const char *
xenbus_state_name(json_int_t st)
{
	static const char *const names[] = { "Unknown", "Initialising",
	    "InitWait", "Initialised", "Connected", "Closing", "Closed",
	    "Reconfiguring", "Reconfigured" };

	if (st < 0 || st >= (json_int_t)(sizeof names / sizeof names[0]))
		return "?";
	return names[st];
}

/* "xvdb file disk w Connected hot /dev/loop1 /img/b.img" per disk
 * (From: the config, or hot-attached). */
static void
print_disks(json_t *res)
{
	json_t *disks = json_object_get(res, "disks"), *v;
	const char *origin;
	size_t i;
	json_int_t st;

	if (json_array_size(disks) == 0) {
		printf("%s has no disks\n", json_string_value(
		    json_object_get(res, "name")));
		return;
	}
	printf("%-5s %-6s %-6s %-5s %-12s %-6s %-12s %s\n", "Vdev", "Type",
	    "Dev", "Mode", "State", "From", "Node", "Target");
	json_array_foreach(disks, i, v) {
		st = json_integer_value(json_object_get(v, "state"));
		origin = json_string_value(json_object_get(v, "origin"));
		printf("%-5s %-6s %-6s %-5s %-12s %-6s %-12s %s\n",
		    json_string_value(json_object_get(v, "vdev")),
		    json_string_value(json_object_get(v, "type")),
		    json_string_value(json_object_get(v, "devtype")),
		    json_string_value(json_object_get(v, "access")),
		    xenbus_state_name(st), origin != NULL && strcmp(origin,
		    "hot-attached") == 0 ? "hot" : "config",
		    json_string_value(json_object_get(v, "node")),
		    json_string_value(json_object_get(v, "target")));
	}
}

/* Print a command's answer (JSON, or the disk table) and free it. */
static int
show(struct ctl *c, json_t *res)
{
	if (c->json)
		ctl_print_json(res);
	else
		print_disks(res);
	json_decref(res);
	return EXIT_OK;
}

static int
call(struct ctl *c, const char *cmd, json_t *args)
{
	ctl_connect(c);
	return show(c, ctl_call(c, cmd, args));
}

int
ctl_block_attach_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("block-attach", NULL);
	const char *pos[2] = { NULL, NULL };
	struct diskcfg d;
	char err[DISKCFG_SPEC_MAX + 200];
	json_t *args;
	int rc;

	if ((rc = ctl_args_only(self, argc, argv, pos, 2)) != EXIT_OK)
		return rc;
	if (diskcfg_parse(pos[1], &d, err, sizeof err) != 0)
		return ctl_usage_error(self, "%s", err);
	args = json_object();
	json_object_set_new(args, "domain", json_string(pos[0]));
	json_object_set_new(args, "spec", json_string(pos[1]));
	return call(c, "block-attach", args);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
ctl_block_detach_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("block-detach", NULL);
	const char *pos[2] = { NULL, NULL }, *cause;
	uint64_t timeout = DETACH_TIMEOUT_MS, t0;
	struct timespec poll = { 0, DETACH_POLL_MS * 1000000L };
	json_t *args, *res;
	uint32_t devid;
	int i, n = 0, force = 0, rc;
	json_int_t fst;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (strcmp(argv[i], "--timeout") == 0) {
			if (++i == argc || strnum_duration_ms(argv[i],
			    &timeout, &cause) != 0 || timeout == 0)
				return ctl_usage_error(self, "--timeout needs "
				    "a duration like \"20s\" or \"500ms\"");
		} else if ((rc = ctl_arg_positional(self, argv[i], pos, &n,
		    2)) != EXIT_OK)
			return rc;
	}
	if ((rc = ctl_args_complete(self, n, 2)) != EXIT_OK)
		return rc;
	if (diskcfg_vdev_id(pos[1], &devid) != 0)
		return ctl_usage_error(self, "VDEV \"%s\" is not xvda..xvdz",
		    pos[1]);
	ctl_connect(c);
	t0 = now_ms();
	for (;;) {
		args = json_object();
		json_object_set_new(args, "domain", json_string(pos[0]));
		json_object_set_new(args, "vdev", json_string(pos[1]));
		if (force)
			json_object_set_new(args, "force", json_true());
		res = ctl_call(c, "block-detach", args);
		if (json_is_true(json_object_get(res, "detached")))
			break;
		fst = json_integer_value(json_object_get(res,
		    "frontend_state"));
		json_decref(res);
		if (now_ms() - t0 >= timeout) {
			fprintf(stderr, "xenctl: block-detach: %s's %s: the "
			    "guest did not close it within %llu ms (its "
			    "frontend is in xenbus state %lld, %s%s); it stays "
			    "attached.  Unmount it in the guest and try again, "
			    "or --force to remove it anyway\n", pos[0], pos[1],
			    (unsigned long long)timeout, (long long)fst,
			    xenbus_state_name(fst), fst == 4 ? ": in use" : "");
			return EXIT_DAEMON;
		}
		nanosleep(&poll, NULL);
	}
	return show(c, res);
}

int
ctl_block_list_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("block-list", NULL);
	const char *pos[1] = { NULL };
	json_t *args;
	int rc;

	if ((rc = ctl_args_only(self, argc, argv, pos, 1)) != EXIT_OK)
		return rc;
	args = json_object();
	json_object_set_new(args, "domain", json_string(pos[0]));
	return call(c, "block-list", args);
}
