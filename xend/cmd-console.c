/*
 * cmd-console.c: the commands that depend on backend features some
 * backends lack: console (domain console output), save and restore
 * (xc backend: libxc's xc_domain_save/restore, docs/save-restore.md).  A
 * backend without them gives its own "not supported" sentence with code
 * XE_UNSUPPORTED, never a fake success.
 */
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#include "cmd.h"

static const struct cmd_arg console_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "follow", ARG_BOOL, 0 },
	{ NULL, 0, 0 },
};

static const struct cmd_arg save_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "path", ARG_STRING, 1 },
	{ NULL, 0, 0 },
};

static const struct cmd_arg restore_args[] = {
	{ "path", ARG_STRING, 1 },
	{ NULL, 0, 0 },
};

static enum cmd_retval
cmd_console_exec(struct cmd_ctx *ctx)
{
	char buf[16384];
	size_t got = 0;
	int rc;

	rc = hv_console_read(xend->hv, ctx->target->rec.domid, 0, buf,
	    sizeof buf - 1, &got);
	if (rc != 0) {
		xerr_from_hv(&ctx->err, rc, "console");
		return CMD_ERROR;
	}
	buf[got] = '\0';
	ctx->result = json_object();
	json_object_set_new(ctx->result, "output", json_stringn(buf, got));
	return CMD_DONE;
}

/*
 * What xend stores in a save file next to the domain's state, so restore
 * brings back the same name and config: "NAME\nMEM_KIB\nCONFIG_PATH\n"
 * then the config text.  The first two lines are for the backend.
 */
static char *
save_blob(const struct domain *d)
{
	char *blob;

	xasprintf(&blob, "%s\n%llu\n%s\n%s", d->rec.name,
	    (unsigned long long)(d->info.mem_kib),
	    d->rec.config_path != NULL ? d->rec.config_path : d->rec.name,
	    d->rec.config);
	return blob;
}

static enum cmd_retval
cmd_save_exec(struct cmd_ctx *ctx)
{
	const char *path = cmd_arg_string(ctx, "path");
	struct domain *d = ctx->target;
	char *blob;
	int rc;

	if (path[0] != '/')
		return cmd_fail(ctx, XE_BAD_ARG, "save: path must be absolute");
	if (d->rec.domid == 0)
		return cmd_fail(ctx, XE_DOM0, "save: Domain-0 cannot be saved");
	if (d->rec.config == NULL)
		return cmd_fail(ctx, XE_BAD_ARG, "save: %s was not created by "
		    "xend (no config to restore it with)", d->rec.name);
	if ((blob = save_blob(d)) == NULL)
		return cmd_fail(ctx, XE_BAD_ARG, "save: out of memory");
	rc = hv_save_domain(xend->hv, d->rec.domid, path, blob);
	free(blob);
	if (rc != 0) {
		xerr_from_hv(&ctx->err, rc, "save");
		return CMD_ERROR;
	}
	/* Like xl: once its state is safely in the file, the domain goes. */
	if (domain_destroy(d, "saved", &ctx->err) != 0)
		return CMD_ERROR;
	ctx->result = json_object();
	return CMD_DONE;
}

static enum cmd_retval
cmd_restore_exec(struct cmd_ctx *ctx)
{
	const char *path = cmd_arg_string(ctx, "path");
	const char *cfg_path, *text;
	struct domain *d;
	char *blob = NULL, *nl;
	uint8_t handle[16];
	uint32_t domid;
	int rc, i;

	if (path[0] != '/')
		return cmd_fail(ctx, XE_BAD_ARG, "restore: path must be "
		    "absolute");
	/* A new UUID: the saved domain is gone, this is a new one. */
	uuid_new(handle);
	if ((rc = hv_restore_domain(xend->hv, path, handle, &domid,
	    &blob)) != 0) {
		xerr_from_hv(&ctx->err, rc, "restore");
		return CMD_ERROR;
	}
	/* Skip name and memory; then the config path and the text. */
	for (nl = blob, i = 0; i < 2 && nl != NULL; i++)
		if ((nl = strchr(nl, '\n')) != NULL)
			nl++;
	cfg_path = nl;
	if (nl == NULL || (nl = strchr(nl, '\n')) == NULL) {
		free(blob);
		hv_destroy(xend->hv, domid);
		return cmd_fail(ctx, XE_BAD_ARG, "restore: %s holds no xend "
		    "record (not written by xenctl save); the domain was "
		    "destroyed", path);
	}
	*nl = '\0';
	text = nl + 1;
	if (domain_record_restored(domid, handle, text, cfg_path, &d,
	    &ctx->err) != 0) {
		free(blob);
		return CMD_ERROR;
	}
	free(blob);
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domid", json_integer(domid));
	json_object_set_new(ctx->result, "name", json_string(d->rec.name));
	return CMD_DONE;
}

const struct cmd_entry cmd_console_entry = {
	.name = "console", .args = console_args, .flags = CMD_TARGET,
	.exec = cmd_console_exec,
};

const struct cmd_entry cmd_save_entry = {
	.name = "save", .args = save_args, .flags = CMD_TARGET,
	.exec = cmd_save_exec,
};

const struct cmd_entry cmd_restore_entry = {
	.name = "restore", .args = restore_args, .exec = cmd_restore_exec,
};
