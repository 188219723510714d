/*
 * cmd-save.c: "save": a domain's state into a file, with xend's record of
 * it (the save blob, see save_blob below) so restore can bring back
 * the same name and config; then the domain is destroyed, as with xl.
 * The file format is libxc's (docs/save-restore.md).
 */
#include <stdlib.h>

#include "xmalloc.h"

#include "cmd.h"

static const struct cmd_arg save_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "path", ARG_STRING, 1 },
	{ NULL, 0, 0 },
};

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

const struct cmd_entry cmd_save_entry = {
	.name = "save", .args = save_args, .flags = CMD_TARGET,
	.exec = cmd_save_exec,
};

