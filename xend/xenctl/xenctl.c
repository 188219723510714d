/*
 * xenctl.c: entry point of the xend client.  Handles the global options,
 * finds the command (exact name or unique prefix), answers --help for it,
 * takes --json off the command line of read commands, and runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"
#include "protocol.h"

static int
global_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "xenctl: %s%s%s\n", msg, arg ? " " : "",
	    arg ? arg : "");
	fprintf(stderr, "usage: xenctl [--socket PATH] [-v] COMMAND [ARGS...] "
	    "(see `xenctl --help`)\n");
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	struct ctl c;
	const struct ctl_cmd *cmd;
	const char *tmpdir;
	char *why;
	int i, j, verbose = 0, rc;

	memset(&c, 0, sizeof c);
	c.fd = -1;
	c.socket_path = getenv("XEND_SOCKET");
	if (c.socket_path == NULL || *c.socket_path == '\0')
		c.socket_path = XEND_SOCKET_DEFAULT;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "-s") == 0 || strcmp(a, "--socket") == 0) {
			if (++i == argc)
				return global_usage("missing path after", a);
			c.socket_path = argv[i];
		} else if (strncmp(a, "--socket=", 9) == 0)
			c.socket_path = a + 9;
		else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
			verbose++;
		else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			ctl_print_overview(stdout);
			return EXIT_OK;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("xenctl %s (protocol %d)\n", XEND_VERSION,
			    XEND_PROTO_VERSION);
			return EXIT_OK;
		} else
			return global_usage("unknown option", a);
	}
	if (c.socket_path[0] == '\0')
		return global_usage("empty socket path", NULL);
	if (i == argc)
		return global_usage("no command given", NULL);
	if ((cmd = ctl_find(argv[i], &why)) == NULL) {
		fprintf(stderr, "xenctl: %s\n", why);
		free(why);
		return EXIT_USAGE;
	}

	tmpdir = getenv("TMPDIR");
	log_open("xenctl", verbose, tmpdir && *tmpdir ? tmpdir : "/tmp");
	log_debug("command %s, socket %s", cmd->name, c.socket_path);

	/* argv[i] becomes the command's argv[0]; strip generic options. */
	argc -= i;
	argv += i;
	for (j = 1; j < argc && strcmp(argv[j], "--") != 0; j++) {
		if (strcmp(argv[j], "-h") == 0 ||
		    strcmp(argv[j], "--help") == 0) {
			ctl_print_help(stdout, cmd);
			return EXIT_OK;
		}
	}
	for (j = 1; j < argc && strcmp(argv[j], "--") != 0; j++) {
		if ((cmd->flags & CTL_JSON) && strcmp(argv[j], "--json") == 0) {
			c.json = 1;
			memmove(&argv[j], &argv[j + 1],
			    (size_t)(argc - j) * sizeof *argv);
			argc--;
			j--;
		}
	}
	rc = cmd->run(&c, argc, argv);
	free(c.buf);
	if (c.fd != -1)
		close(c.fd);
	log_close();
	return rc;
}
