/*
 * cmd-net.c: a running domain's networks (docs/devices.md).
 * "network-attach" adds a vif (mac, bridge, ip, rate as in a config's
 * `vif` entry, checked here by vifcfg_parse so a bad one is refused with
 * the entry's own words), "network-detach" removes one by device id or
 * MAC, "network-list" lists them.  What a domain has is in the store
 * (dom0's backend nodes), so these read it through the backend rather
 * than keep a copy that could disagree.  What was hot-attached is also
 * recorded in the database (db-hot.c, keyed by MAC, the entry with the
 * MAC it got), so a reboot's restart and a restore give the new domain
 * the vif too; network-detach forgets it, network-list says which vifs
 * came from the config and which were hot-attached.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "log.h"

static const struct cmd_arg attach_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "mac", ARG_STRING, 0 },
	{ "bridge", ARG_STRING, 0 },
	{ "ip", ARG_STRING, 0 },
	{ "rate", ARG_STRING, 0 },
	{ NULL, 0, 0 },
};

static const struct cmd_arg detach_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "device", ARG_STRING, 1 },	/* a device id, or a MAC */
	{ NULL, 0, 0 },
};

static const struct cmd_arg list_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ NULL, 0, 0 },
};

/* The vif's state in one word: connected once netback is Connected and
 * the hotplug (the bridge) is done. */
static const char *
vif_state(const struct hv_vif *v)
{
	static const char *const names[] = { "unknown", "initialising",
	    "initwait", "initialised", "connected", "closing", "closed" };
	int s = atoi(v->state);

	if (strcmp(v->hotplug, "error") == 0)
		return "hotplug-error";
	if (s == 4 && strcmp(v->hotplug, "connected") != 0)
		return "hotplug-wait";
	return s >= 0 && s <= 6 ? names[s] : "unknown";
}

static int
live_domu(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;

	if (d->rec.domid == 0) {
		cmd_fail(ctx, XE_DOM0, "Domain-0's networks are its own "
		    "(vifs are for guests)");
		return -1;
	}
	if (d->info.state == HV_DYING || d->info.state == HV_SHUTDOWN) {
		cmd_fail(ctx, XE_STATE, "%s is not running", d->rec.name);
		return -1;
	}
	return 0;
}

static int
list_vifs(struct cmd_ctx *ctx, struct hv_vif *v, size_t *n)
{
	int rc;

	if ((rc = hv_vif_list(xend->hv, ctx->target->rec.domid, v,
	    VIFS_MAX, n)) != 0) {
		xerr_from_hv(&ctx->err, rc, "listing its vifs");
		return -1;
	}
	return 0;
}

static enum cmd_retval
cmd_network_attach_exec(struct cmd_ctx *ctx)
{
	static const char *const keys[] = { "mac", "bridge", "ip", "rate" };
	struct domain *d = ctx->target;
	struct hv_vif v[VIFS_MAX];
	struct vifcfg c;
	char spec[VIFCFG_SPEC_MAX], why[300], mac[18];
	const char *val;
	size_t i, n, len = 0;
	uint32_t devid;
	int rc;

	if (live_domu(ctx) != 0)
		return CMD_ERROR;
	spec[0] = '\0';
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if ((val = cmd_arg_string(ctx, keys[i])) == NULL)
			continue;
		if (strchr(val, ',') != NULL)
			return cmd_fail(ctx, XE_BAD_ARG, "%s \"%s\": no commas",
			    keys[i], val);
		len += (size_t)snprintf(spec + len, len < sizeof spec ?
		    sizeof spec - len : 0, "%s%s=%s", len ? "," : "", keys[i],
		    val);
		if (len >= sizeof spec)
			return cmd_fail(ctx, XE_BAD_ARG, "arguments too long");
	}
	if (vifcfg_parse(spec, &c, why, sizeof why) != 0)
		return cmd_fail(ctx, XE_BAD_ARG, "%s", why);
	if (!hotblob_spec_ok(spec))
		return cmd_fail(ctx, XE_BAD_ARG, "the vif's arguments hold a "
		    "control character");
	if (list_vifs(ctx, v, &n) != 0)
		return CMD_ERROR;
	vifcfg_mac_str(c.mac, mac, sizeof mac);
	for (i = 0; c.mac_set && i < n; i++)
		if (strcasecmp(v[i].mac, mac) == 0)
			return cmd_fail(ctx, XE_EXISTS, "%s already has a vif "
			    "with mac %s (vif %u)", d->rec.name, mac,
			    v[i].devid);
	if ((rc = hv_vif_attach(xend->hv, d->rec.domid, d->info.handle, spec,
	    &devid, mac, sizeof mac)) != 0) {
		xerr_from_hv(&ctx->err, rc, "network-attach");
		return CMD_ERROR;
	}
	/* Recorded with the MAC it got, so the rebuilt domain's vif has
	 * the same address; not recorded, it is taken back. */
	if (!c.mac_set && len + 5 + strlen(mac) < sizeof spec)
		len += (size_t)snprintf(spec + len, sizeof spec - len,
		    "%smac=%s", len ? "," : "", mac);
	if (db_hot_add(xend->db, d->rec.rec, "vif", mac, spec,
	    now_seconds()) != 0) {
		cmd_fail(ctx, XE_DATABASE, "recording the vif: %s; it was "
		    "detached again", db_errmsg(xend->db));
		(void)hv_vif_detach(xend->hv, d->rec.domid, devid);
		return CMD_ERROR;
	}
	domain_event(d, "network-attach", "vif %u mac %s bridge %s", devid,
	    mac, c.bridge);
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domid", json_integer(d->rec.domid));
	json_object_set_new(ctx->result, "name", json_string(d->rec.name));
	json_object_set_new(ctx->result, "devid", json_integer(devid));
	json_object_set_new(ctx->result, "mac", json_string(mac));
	json_object_set_new(ctx->result, "bridge", json_string(c.bridge));
	return CMD_DONE;
}

static enum cmd_retval
cmd_network_detach_exec(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;
	const char *dev = cmd_arg_string(ctx, "device");
	struct hv_vif v[VIFS_MAX];
	uint8_t mac[6];
	char why[200], *end;
	unsigned long id;
	size_t i, n;
	int rc, found = -1;

	if (live_domu(ctx) != 0 || list_vifs(ctx, v, &n) != 0)
		return CMD_ERROR;
	if (strchr(dev, ':') != NULL) {
		if (vifcfg_parse_mac(dev, mac, why, sizeof why) != 0)
			return cmd_fail(ctx, XE_BAD_ARG, "%s", why);
		for (i = 0; i < n; i++)
			if (strcasecmp(v[i].mac, dev) == 0)
				found = (int)i;
		if (found < 0)
			return cmd_fail(ctx, XE_BAD_ARG, "%s has no vif with "
			    "mac %s", d->rec.name, dev);
	} else {
		id = strtoul(dev, &end, 10);
		if (!isdigit((unsigned char)dev[0]) || *end != '\0' ||
		    id > 0xffff)
			return cmd_fail(ctx, XE_BAD_ARG, "device \"%s\" is "
			    "neither a device id nor a mac", dev);
		for (i = 0; i < n; i++)
			if (v[i].devid == id)
				found = (int)i;
		if (found < 0)
			return cmd_fail(ctx, XE_BAD_ARG, "%s has no vif %lu",
			    d->rec.name, id);
	}
	if ((rc = hv_vif_detach(xend->hv, d->rec.domid, v[found].devid))
	    != 0) {
		xerr_from_hv(&ctx->err, rc, "network-detach");
		return CMD_ERROR;
	}
	domain_event(d, "network-detach", "vif %u mac %s", v[found].devid,
	    v[found].mac);
	if (db_hot_del(xend->db, d->rec.rec, "vif", v[found].mac) != 0)
		log_warnx("network-detach: %s's vif %s stays recorded (%s): "
		    "a reboot would attach it again", d->rec.name,
		    v[found].mac, db_errmsg(xend->db));
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domid", json_integer(d->rec.domid));
	json_object_set_new(ctx->result, "name", json_string(d->rec.name));
	json_object_set_new(ctx->result, "devid",
	    json_integer(v[found].devid));
	json_object_set_new(ctx->result, "mac", json_string(v[found].mac));
	return CMD_DONE;
}

static enum cmd_retval
cmd_network_list_exec(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;
	struct hv_vif v[VIFS_MAX];
	struct db_hot *hot = NULL;
	json_t *arr, *o;
	size_t i, j, n, nhot = 0;
	int is_hot;

	if (d->rec.domid == 0)
		n = 0;
	else if (list_vifs(ctx, v, &n) != 0)
		return CMD_ERROR;
	/* Unreadable records: every vif shows as the config's. */
	if (n > 0 && db_hot_list(xend->db, d->rec.rec, &hot, &nhot) != 0)
		log_warnx("network-list: %s", db_errmsg(xend->db));
	arr = json_array();
	for (i = 0; i < n; i++) {
		o = json_object();
		json_object_set_new(o, "devid", json_integer(v[i].devid));
		json_object_set_new(o, "mac", json_string(v[i].mac));
		json_object_set_new(o, "bridge", json_string(v[i].bridge));
		json_object_set_new(o, "ifname", json_string(v[i].ifname));
		json_object_set_new(o, "state", json_string(vif_state(&v[i])));
		for (j = 0, is_hot = 0; j < nhot; j++)
			if (strcmp(hot[j].kind, "vif") == 0 &&
			    strcasecmp(hot[j].key, v[i].mac) == 0)
				is_hot = 1;
		json_object_set_new(o, "origin", json_string(is_hot ?
		    "hot-attached" : "config"));
		json_array_append_new(arr, o);
	}
	db_hot_free(hot, nhot);
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domid", json_integer(d->rec.domid));
	json_object_set_new(ctx->result, "name", json_string(d->rec.name));
	json_object_set_new(ctx->result, "vifs", arr);
	return CMD_DONE;
}

const struct cmd_entry cmd_network_attach_entry = {
	.name = "network-attach", .args = attach_args, .flags = CMD_TARGET,
	.exec = cmd_network_attach_exec,
};

const struct cmd_entry cmd_network_detach_entry = {
	.name = "network-detach", .args = detach_args, .flags = CMD_TARGET,
	.exec = cmd_network_detach_exec,
};

const struct cmd_entry cmd_network_list_entry = {
	.name = "network-list", .args = list_args,
	.flags = CMD_TARGET | CMD_BUSY_OK, .exec = cmd_network_list_exec,
};
