/*
 * test-cli.c: xenctl's command lookup: exact names, unique prefixes,
 * ambiguous prefixes listing the candidates, and the table's own
 * consistency (every command has usage and help text).  Exit statuses
 * are tested end to end by tests/suites/30-xend.sh.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ctl.h"

int
main(void)
{
	const struct ctl_cmd *c;
	char *why = NULL;
	size_t i, j;
	int ok;

	c = ctl_find("list", &why);
	CHECK("cli: exact name", c != NULL && strcmp(c->name, "list") == 0);
	c = ctl_find("li", &why);
	CHECK("cli: unique prefix li = list", c != NULL &&
	    strcmp(c->name, "list") == 0);
	c = ctl_find("mem", &why);
	CHECK("cli: unique prefix mem = mem-set", c != NULL &&
	    strcmp(c->name, "mem-set") == 0);
	c = ctl_find("unp", &why);
	CHECK("cli: unique prefix unp = unpause", c != NULL &&
	    strcmp(c->name, "unpause") == 0);
	c = ctl_find("re", &why);
	CHECK("cli: ambiguous prefix refused", c == NULL);
	CHECK_STR("cli: ambiguous prefix lists candidates", why,
	    "ambiguous command \"re\": could be restore, report");
	free(why);
	c = ctl_find("d", &why);
	CHECK("cli: d is destroy (only one)", c != NULL &&
	    strcmp(c->name, "destroy") == 0);
	c = ctl_find("s", &why);
	CHECK_STR("cli: s is ambiguous", c == NULL ? why : "found",
	    "ambiguous command \"s\": could be shutdown, save, sched");
	free(why);
	c = ctl_find("frobnicate", &why);
	CHECK_STR("cli: unknown command message", c == NULL ? why : "found",
	    "unknown command \"frobnicate\" (see `xenctl help`)");
	free(why);
	c = ctl_find("", &why);
	CHECK("cli: empty name refused", c == NULL);
	free(why);
	c = ctl_find("listx", &why);
	CHECK("cli: longer than a name is not a prefix", c == NULL);
	free(why);

	ok = 1;
	for (i = 0; i < ctl_ncmds; i++) {
		if (ctl_cmds[i].usage == NULL || ctl_cmds[i].summary == NULL ||
		    ctl_cmds[i].help == NULL || ctl_cmds[i].run == NULL ||
		    ctl_cmds[i].help[strlen(ctl_cmds[i].help) - 1] != '\n')
			ok = 0;
		for (j = 0; j < i; j++)
			if (strcmp(ctl_cmds[i].name, ctl_cmds[j].name) == 0)
				ok = 0;
	}
	CHECK("cli: every command has handler, usage and help; names unique",
	    ok);
	ok = 1;
	{
		static const char *needed[] = { "list", "info", "create",
		    "destroy", "pause", "unpause", "shutdown", "console",
		    "save", "restore", "mem-set", "report", "log", "help" };
		for (i = 0; i < sizeof needed / sizeof needed[0]; i++)
			if (ctl_find(needed[i], &why) == NULL ||
			    strcmp(ctl_find(needed[i], &why)->name,
			    needed[i]) != 0)
				ok = 0;
	}
	CHECK("cli: all documented commands exist", ok);
	CHECK("cli: read commands take --json",
	    (ctl_find("list", &why)->flags & CTL_JSON) &&
	    (ctl_find("report", &why)->flags & CTL_JSON) &&
	    (ctl_find("log", &why)->flags & CTL_JSON) &&
	    (ctl_find("info", &why)->flags & CTL_JSON) &&
	    !(ctl_find("destroy", &why)->flags & CTL_JSON));

	/* The overview: summaries in one column, and every command that
	 * takes --json named where it says which do (it once named four of
	 * sixteen). */
	{
		char *buf = NULL, *p, *json;
		size_t len = 0, col = 0;
		FILE *f = open_memstream(&buf, &len);
		char word[64];

		ctl_print_overview(f);
		fclose(f);
		ok = 1;
		for (i = 0; i < ctl_ncmds; i++) {
			snprintf(word, sizeof word, "\n  %s ",
			    ctl_cmds[i].name);
			if ((p = strstr(buf, word)) == NULL ||
			    (p = strstr(p + 1, ctl_cmds[i].summary)) == NULL)
				ok = 0;
			else if (col == 0)
				col = (size_t)(p - strstr(buf, word));
			else if ((size_t)(p - strstr(buf, word)) != col)
				ok = 0;
		}
		CHECK("cli: --help lists every command, summaries aligned", ok);
		json = strstr(buf, "also take --json");
		ok = json != NULL;
		for (i = 0; ok && i < ctl_ncmds; i++) {
			snprintf(word, sizeof word, " %s", ctl_cmds[i].name);
			p = json;
			while ((p = strstr(p, word)) != NULL &&
			    strchr(",.", p[strlen(word)]) == NULL)
				p++;
			if ((p != NULL && p < strstr(json, "Exit status")) !=
			    !!(ctl_cmds[i].flags & CTL_JSON))
				ok = 0;
		}
		CHECK("cli: --help names exactly the commands that take --json",
		    ok);
		free(buf);
	}
	return check_exit();
}
