/*
 * ctl-args.c: the positional arguments of every xenctl command, checked
 * one way.  A command's own loop takes its options; every other word
 * goes through ctl_arg_positional: a word that looks like an option is
 * an unknown one, a word past the last positional is unexpected.  A
 * positional that is missing is named by its word in the command's usage
 * line ("missing DOMAIN", "missing VDEV"), so the usage line in
 * ctl-cmd.c is the one place that says what a command's arguments are.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"

/* The n-th (from 0) word of cmd's usage outside [...] groups, in buf. */
static const char *
positional_name(const struct ctl_cmd *cmd, int n, char *buf, size_t len)
{
	const char *p = cmd->usage;
	size_t w;
	int depth = 0;

	while (*p != '\0') {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		if (depth > 0 || *p == ']' || *p == ' ' || *p == '\n') {
			p++;
			continue;
		}
		w = strcspn(p, " \n[");
		if (n-- == 0) {
			snprintf(buf, len, "%.*s", (int)w, p);
			return buf;
		}
		p += w;
	}
	/* A usage line that names fewer words than the command takes. */
	snprintf(buf, len, "argument");
	return buf;
}

int
ctl_arg_positional(const struct ctl_cmd *cmd, const char *arg,
    const char **pos, int *npos, int want)
{
	if (arg[0] == '-' && arg[1] != '\0')
		return ctl_usage_error(cmd, "unknown option \"%s\"", arg);
	if (*npos == want)
		return ctl_usage_error(cmd, "unexpected argument \"%s\"", arg);
	pos[(*npos)++] = arg;
	return EXIT_OK;
}

int
ctl_args_complete(const struct ctl_cmd *cmd, int npos, int want)
{
	char name[64];

	if (npos < want)
		return ctl_usage_error(cmd, "missing %s",
		    positional_name(cmd, npos, name, sizeof name));
	return EXIT_OK;
}

int
ctl_args_only(const struct ctl_cmd *cmd, int argc, char **argv,
    const char **pos, int want)
{
	int i, npos = 0, rc;

	for (i = 1; i < argc; i++)
		if ((rc = ctl_arg_positional(cmd, argv[i], pos, &npos,
		    want)) != EXIT_OK)
			return rc;
	return ctl_args_complete(cmd, npos, want);
}
