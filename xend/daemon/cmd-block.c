/*
 * cmd-block.c: disks of a running domain (docs/devices.md).
 * "block-attach" adds one `disk` entry (diskcfg.c syntax, as in a config
 * file) to a running guest, "block-detach" takes one away by its vdev,
 * "block-list" shows them.  The entry is parsed here too, whatever the
 * client checked, so a hostile client gets the parser's message and the
 * backend only ever sees a well-formed entry.  "block-detach" does not
 * yank a disk from under a guest: its first call asks the guest to close
 * it, and each call answers "waiting" (with the frontend's xenbus state)
 * until the guest has, then removes it; xenctl asks again until it is
 * gone or its --timeout passes.  "force" removes it at once.  Nothing
 * here waits, so the event loop never blocks on a guest.
 * A hot-attached disk is recorded in the database (db-hot.c) with the
 * entry it was attached with, so a reboot's restart and a restore give
 * the new domain the disk too; block-detach forgets it.  block-list says
 * which disks came from the config and which were hot-attached.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "log.h"

#define BLOCK_LIST_MAX	64

static const struct cmd_arg attach_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "spec", ARG_STRING, 1 },	/* one disk entry */
	{ NULL, 0, 0 },
};

static const struct cmd_arg detach_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "vdev", ARG_STRING, 1 },	/* xvda..xvdz */
	{ "force", ARG_BOOL, 0 },	/* remove even if the guest has not
					 * closed it */
	{ NULL, 0, 0 },
};

static const struct cmd_arg list_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ NULL, 0, 0 },
};

/* Disks are for a live domU: not dom0, not one going away. */
static enum cmd_retval
check_target(struct cmd_ctx *ctx, const char *what)
{
	struct domain *d = ctx->target;

	if (d->rec.domid == 0)
		return cmd_fail(ctx, XE_DOM0, "Domain-0 has no %s disks "
		    "(its own are the host's)", what);
	if (d->info.state != HV_RUNNING && d->info.state != HV_PAUSED)
		return cmd_fail(ctx, XE_STATE, "%s is %s; disks can be "
		    "changed only on a running or paused domain", d->rec.name,
		    hv_state_name(d->info.state));
	return CMD_DONE;
}

/* Was this disk hot-attached (recorded in hot)?  Else it is the
 * config's. */
static int
is_hot(const struct db_hot *hot, size_t nhot, const char *vdev)
{
	size_t i;

	for (i = 0; i < nhot; i++)
		if (strcmp(hot[i].kind, "disk") == 0 &&
		    strcmp(hot[i].key, vdev) == 0)
			return 1;
	return 0;
}

static json_t *
vbd_json(const struct hv_vbd *v, int hot)
{
	json_t *o = json_object();

	json_object_set_new(o, "vdev", json_string(v->vdev));
	json_object_set_new(o, "devid", json_integer(v->devid));
	json_object_set_new(o, "target", json_string(v->target));
	json_object_set_new(o, "node", json_string(v->node));
	json_object_set_new(o, "type", json_string(v->phy ? "phy" : "file"));
	json_object_set_new(o, "devtype", json_string(v->cdrom ? "cdrom" :
	    "disk"));
	json_object_set_new(o, "access", json_string(v->writable ? "w" :
	    "r"));
	json_object_set_new(o, "state", json_integer(v->state));
	json_object_set_new(o, "origin", json_string(hot ? "hot-attached" :
	    "config"));
	return o;
}

static enum cmd_retval
list_result(struct cmd_ctx *ctx)
{
	static struct hv_vbd v[BLOCK_LIST_MAX];
	struct domain *d = ctx->target;
	struct db_hot *hot = NULL;
	json_t *disks;
	size_t n = 0, i, nhot = 0;
	int rc;

	if ((rc = hv_block_list(xend->hv, d->rec.domid, v, BLOCK_LIST_MAX,
	    &n)) != 0) {
		xerr_from_hv(&ctx->err, rc, "listing disks");
		return CMD_ERROR;
	}
	/* Unreadable records: every disk shows as the config's. */
	if (db_hot_list(xend->db, d->rec.rec, &hot, &nhot) != 0)
		log_warnx("block-list: %s", db_errmsg(xend->db));
	disks = json_array();
	for (i = 0; i < n && i < BLOCK_LIST_MAX; i++)
		json_array_append_new(disks, vbd_json(&v[i], is_hot(hot, nhot,
		    v[i].vdev)));
	db_hot_free(hot, nhot);
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domid", json_integer(d->rec.domid));
	json_object_set_new(ctx->result, "name", json_string(d->rec.name));
	json_object_set_new(ctx->result, "disks", disks);
	return CMD_DONE;
}

static enum cmd_retval
cmd_block_attach_exec(struct cmd_ctx *ctx)
{
	const char *spec = cmd_arg_string(ctx, "spec");
	struct domain *d = ctx->target;
	struct diskcfg dc;
	char why[DISKCFG_SPEC_MAX + 200];
	int rc, waiting;

	if (check_target(ctx, "hot-plugged") != CMD_DONE)
		return CMD_ERROR;
	if (diskcfg_parse(spec, &dc, why, sizeof why) != 0)
		return cmd_fail(ctx, XE_BAD_ARG, "%s", why);
	if (!hotblob_spec_ok(spec))
		return cmd_fail(ctx, XE_BAD_ARG, "disk: the entry holds a "
		    "control character");
	/* The backend's EINVAL is the entry's fault (its target missing or
	 * of the wrong kind, its vdev in use): a bad argument, not a state. */
	if ((rc = hv_block_attach(xend->hv, d->rec.domid, spec)) == -EINVAL)
		return cmd_fail(ctx, XE_BAD_ARG, "attaching the disk: %s",
		    hv_errmsg(xend->hv));
	if (rc != 0) {
		xerr_from_hv(&ctx->err, rc, "attaching the disk");
		return CMD_ERROR;
	}
	/* Not recorded, it would vanish at the next reboot unannounced:
	 * take it back and say so rather than half-succeed. */
	if (db_hot_add(xend->db, d->rec.rec, "disk", dc.vdev, spec,
	    now_seconds()) != 0) {
		cmd_fail(ctx, XE_DATABASE, "recording the disk: %s; it was "
		    "detached again", db_errmsg(xend->db));
		(void)hv_block_detach(xend->hv, d->rec.domid, dc.vdev, 1,
		    &waiting);
		return CMD_ERROR;
	}
	domain_event(d, "block-attach", "%s: %s", dc.vdev, spec);
	return list_result(ctx);
}

static enum cmd_retval
cmd_block_detach_exec(struct cmd_ctx *ctx)
{
	const char *vdev = cmd_arg_string(ctx, "vdev");
	struct domain *d = ctx->target;
	int force = cmd_arg_bool(ctx, "force"), waiting = 0;
	uint32_t devid;
	int rc;

	if (check_target(ctx, "hot-plugged") != CMD_DONE)
		return CMD_ERROR;
	if (diskcfg_vdev_id(vdev, &devid) != 0)
		return cmd_fail(ctx, XE_BAD_ARG, "vdev '%s' is not xvda..xvdz",
		    vdev);
	if ((rc = hv_block_detach(xend->hv, d->rec.domid, vdev, force,
	    &waiting)) == -ENOENT)
		return cmd_fail(ctx, XE_BAD_ARG, "%s has no disk %s (see "
		    "`xenctl block-list %s`)", d->rec.name, vdev, d->rec.name);
	if (rc != 0) {
		xerr_from_hv(&ctx->err, rc, "detaching the disk");
		return CMD_ERROR;
	}
	if (waiting == 0) {
		domain_event(d, "block-detach", "%s%s", vdev,
		    force ? " (forced)" : "");
		/* Gone from the guest; a record left behind would bring it
		 * back at the next reboot, so say so loudly. */
		if (db_hot_del(xend->db, d->rec.rec, "disk", vdev) != 0)
			log_warnx("block-detach: %s's %s stays recorded (%s): "
			    "a reboot would attach it again", d->rec.name,
			    vdev, db_errmsg(xend->db));
	}
	if (list_result(ctx) != CMD_DONE)
		return CMD_ERROR;
	json_object_set_new(ctx->result, "vdev", json_string(vdev));
	json_object_set_new(ctx->result, "detached", json_boolean(waiting == 0));
	if (waiting != 0)
		json_object_set_new(ctx->result, "frontend_state",
		    json_integer(waiting));
	return CMD_DONE;
}

static enum cmd_retval
cmd_block_list_exec(struct cmd_ctx *ctx)
{
	if (ctx->target->rec.domid == 0)
		return cmd_fail(ctx, XE_DOM0, "Domain-0 has no guest disks");
	return list_result(ctx);
}

const struct cmd_entry cmd_block_attach_entry = {
	.name = "block-attach", .args = attach_args, .flags = CMD_TARGET,
	.exec = cmd_block_attach_exec,
};

const struct cmd_entry cmd_block_detach_entry = {
	.name = "block-detach", .args = detach_args, .flags = CMD_TARGET,
	.exec = cmd_block_detach_exec,
};

const struct cmd_entry cmd_block_list_entry = {
	.name = "block-list", .args = list_args, .flags = CMD_TARGET,
	.exec = cmd_block_list_exec,
};
