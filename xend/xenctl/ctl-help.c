/*
 * ctl-help.c: xenctl's help texts, built from the command table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "protocol.h"

void
ctl_print_overview(FILE *f)
{
	size_t i, n, width = 0;
	int col;

	fprintf(f,
"usage: xenctl [--socket PATH] [-v] COMMAND [ARGS...]\n"
"       xenctl COMMAND --help\n"
"\n"
"Control domains through xend, the domain-0 management daemon.\n"
"Commands may be shortened to any unique prefix (\"xenctl li\" = list).\n"
"\n"
"Commands:\n");
	/* One column for the summaries, as wide as the longest name. */
	for (i = 0; i < ctl_ncmds; i++)
		if (strlen(ctl_cmds[i].name) > width)
			width = strlen(ctl_cmds[i].name);
	for (i = 0; i < ctl_ncmds; i++)
		fprintf(f, "  %-*s  %s\n", (int)width, ctl_cmds[i].name,
		    ctl_cmds[i].summary);
	fprintf(f,
"\n"
"Options:\n"
"  -s, --socket PATH  xend's socket (default: $XEND_SOCKET, else\n"
"                     " XEND_SOCKET_DEFAULT ")\n"
"  -v, --verbose      write a debug log to xenctl-PID.log in $TMPDIR or /tmp\n"
"  -h, --help         this text\n"
"  -V, --version      print xenctl's version and protocol version\n"
"\n");
	/* Named from the table, so the list cannot fall behind it. */
	col = fprintf(f, "These also take --json (print xend's reply as JSON):");
	for (i = 0, n = 0; i < ctl_ncmds; i++) {
		if (!(ctl_cmds[i].flags & CTL_JSON))
			continue;
		if (col + 2 + (int)strlen(ctl_cmds[i].name) > 76) {
			fprintf(f, "%s\n ", n ? "," : "");
			col = 1;
		} else if (n)
			col += fprintf(f, ",");
		col += fprintf(f, " %s", ctl_cmds[i].name);
		n++;
	}
	fprintf(f,
".\n"
"\n"
"Exit status:\n"
"  0  success\n"
"  1  xend refused or could not do the request (message on stderr)\n"
"  2  bad command line: unknown or ambiguous command, bad argument or size,\n"
"     a file named on it that cannot be read\n"
"  3  cannot reach xend (not running, wrong --socket, not root)\n"
"  4  protocol trouble: xend's reply was malformed or the connection broke\n"
"  5  the domain config file given to create is invalid\n"
"\n"
"Examples:\n"
"  xenctl create /etc/xen/debian.cfg -c\n"
"                                     start the shipped Linux guest and attach\n"
"                                     (every key: /etc/xen/domu-example.cfg)\n"
"  xenctl list                        what runs, with memory and CPU time\n"
"  xenctl mem-set web 1G              balloon web to 1 GiB\n"
"  xenctl mem-set web 512M --deadline 30s --on-miss pause\n"
"                                     ... and pause it if it has not by then\n"
"  xenctl report --since 1d --csv     the last 24 hours as CSV\n"
"  xenctl report --chart web.png --domain web --since 1d\n"
"                                     web's CPU, memory and balloon charts\n"
"                                     (the web console's charts, as a file)\n"
"  xenctl log -f                      follow the hypervisor log\n");
}

void
ctl_print_help(FILE *f, const struct ctl_cmd *cmd)
{
	fprintf(f, "usage: xenctl %s %s\n\n%s — %s\n\n%s", cmd->name,
	    cmd->usage, cmd->name, cmd->summary, cmd->help);
	if (cmd->flags & CTL_JSON)
		fprintf(f, "\n  --json  print the reply as JSON\n");
}

int
ctl_help_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *cmd;
	char *why;

	(void)c;
	if (argc == 1) {
		ctl_print_overview(stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return ctl_usage_error(ctl_find("help", &why),
		    "too many arguments");
	if ((cmd = ctl_find(argv[1], &why)) == NULL) {
		fprintf(stderr, "xenctl: %s\n", why);
		free(why);
		return EXIT_USAGE;
	}
	ctl_print_help(stdout, cmd);
	return EXIT_OK;
}
