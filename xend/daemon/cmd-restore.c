/*
 * cmd-restore.c: "restore": a new domain from a file written by save,
 * recorded under the name and config stored in the file's blob.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const struct cmd_arg restore_args[] = {
	{ "path", ARG_STRING, 1 },
	{ NULL, 0, 0 },
};

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

const struct cmd_entry cmd_restore_entry = {
	.name = "restore", .args = restore_args, .exec = cmd_restore_exec,
};
