/*
 * ctl-domain.c: the commands that act on one domain: create, destroy,
 * pause, unpause, shutdown, mem-set, and the backend-dependent console,
 * save and restore.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "ctl.h"
#include "strnum.h"

/* A simple request on one domain; print "NAME: STATE" from the reply. */
static int
simple(struct ctl *c, const char *cmd, int argc, char **argv)
{
	const char *dom;
	json_t *args, *res;
	int rc;

	if ((rc = ctl_args_only(ctl_find(cmd, NULL), argc, argv, &dom, 1)) !=
	    EXIT_OK)
		return rc;
	args = json_object();
	json_object_set_new(args, "domain", json_string(dom));
	ctl_connect(c);
	res = ctl_call(c, cmd, args);
	printf("%s: %s\n", json_string_value(json_object_get(res, "name")),
	    json_string_value(json_object_get(res, "state")));
	json_decref(res);
	return EXIT_OK;
}

int
ctl_destroy_run(struct ctl *c, int argc, char **argv)
{
	return simple(c, "destroy", argc, argv);
}

int
ctl_pause_run(struct ctl *c, int argc, char **argv)
{
	return simple(c, "pause", argc, argv);
}

int
ctl_unpause_run(struct ctl *c, int argc, char **argv)
{
	return simple(c, "unpause", argc, argv);
}

/* The state of the domain with this id ("" if there is none now). */
static const char *
state_of_domid(json_t *list, json_int_t domid)
{
	json_t *d;
	size_t i;

	json_array_foreach(json_object_get(list, "domains"), i, d)
		if (json_integer_value(json_object_get(d, "domid")) == domid)
			return json_string_value(json_object_get(d, "state"));
	return "";
}

/* shutdown --wait: until the domain that was asked has stopped (gone, or
 * kept as "shutdown" by its on_* action; a reboot's restart is a new
 * domain id), at most wait_ms.  Polls xend's list: the guest's own
 * shutdown takes seconds, a quarter of a second more does not matter. */
static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
shutdown_wait(struct ctl *c, const char *name, json_int_t domid,
    uint64_t wait_ms, int reboot)
{
	struct timespec tick = { 0, 250 * 1000 * 1000 };
	double t0 = now_s(), waited;
	const char *st;
	json_t *list;
	int gone;

	for (;;) {
		list = ctl_call(c, "list", json_object());
		st = state_of_domid(list, domid);
		gone = *st == '\0' || strcmp(st, "shutdown") == 0;
		json_decref(list);
		waited = now_s() - t0;
		if (gone) {
			printf("%s: %s after %.1f s\n", name, reboot ?
			    "rebooted (by its on_reboot action)" :
			    "stopped", waited);
			return EXIT_OK;
		}
		if (waited * 1000 >= (double)wait_ms)
			break;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "xenctl: %s has not stopped after %.0f s (`xenctl "
	    "destroy %s` stops it at once)\n", name, (double)wait_ms / 1000,
	    name);
	return EXIT_DAEMON;
}

int
ctl_shutdown_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("shutdown", NULL);
	const char *reason = "poweroff", *dom = NULL, *cause;
	uint64_t wait_ms = 0;
	json_t *args, *res;
	char *name;
	json_int_t domid;
	int i, npos = 0, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-r") == 0 ||
		    strcmp(argv[i], "--reboot") == 0)
			reason = "reboot";
		else if (strcmp(argv[i], "-w") == 0)
			wait_ms = 60 * 1000;
		else if (strcmp(argv[i], "--wait") == 0) {
			if (++i == argc || strnum_duration_ms(argv[i], &wait_ms,
			    &cause) != 0 || wait_ms == 0)
				return ctl_usage_error(self, "--wait needs a "
				    "duration like \"60s\"");
		} else if ((rc = ctl_arg_positional(self, argv[i], &dom, &npos,
		    1)) != EXIT_OK)
			return rc;
	}
	if ((rc = ctl_args_complete(self, npos, 1)) != EXIT_OK)
		return rc;
	args = json_object();
	json_object_set_new(args, "domain", json_string(dom));
	json_object_set_new(args, "reason", json_string(reason));
	ctl_connect(c);
	res = ctl_call(c, "shutdown", args);
	name = strdup(json_string_value(json_object_get(res, "name")));
	domid = json_integer_value(json_object_get(res, "domid"));
	json_decref(res);
	printf("%s: asked to %s\n", name, strcmp(reason, "reboot") == 0 ?
	    "reboot" : "power off");
	fflush(stdout);
	rc = wait_ms == 0 ? EXIT_OK : shutdown_wait(c, name, domid, wait_ms,
	    strcmp(reason, "reboot") == 0);
	free(name);
	return rc;
}

int
ctl_create_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("create", NULL);
	struct cfg_warnings warn = { NULL, 0 };
	struct domcfg dc;
	const char *path;
	char *text, *error = NULL, abspath[PATH_MAX];
	json_t *args, *res;
	size_t len, i;
	int rc, npos = 0, attach = 0;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "-c") == 0)
			attach = 1;
		else if ((rc = ctl_arg_positional(self, argv[i], &path, &npos,
		    1)) != EXIT_OK)
			return rc;
	}
	if ((rc = ctl_args_complete(self, npos, 1)) != EXIT_OK)
		return rc;
	if (cfg_read_file(path, &text, &len, &error) != 0) {
		/* A path that names no readable file is a bad argument
		 * (exit 2); exit 5 is for a file whose text is wrong. */
		rc = errno == EFBIG ? EXIT_CONFIG : EXIT_USAGE;
		fprintf(stderr, "xenctl: %s\n", error);
		free(error);
		return rc;
	}
	/* Check the file here so mistakes show before anything is sent. */
	if (domcfg_parse(path, text, len, &dc, &warn, &error) != 0) {
		for (i = 0; i < warn.n; i++)
			fprintf(stderr, "%s\n", warn.msgs[i]);
		fprintf(stderr, "%s\n", error);
		cfg_warnings_free(&warn);
		free(error);
		free(text);
		return EXIT_CONFIG;
	}
	for (i = 0; i < warn.n; i++)
		fprintf(stderr, "%s\n", warn.msgs[i]);
	cfg_warnings_free(&warn);
	domcfg_free(&dc);
	if (realpath(path, abspath) == NULL)
		snprintf(abspath, sizeof abspath, "%s", path);

	args = json_object();
	json_object_set_new(args, "config", json_stringn(text, len));
	json_object_set_new(args, "path", json_string(abspath));
	free(text);
	/* Progress items also keep the wait alive; shown or not is ours. */
	json_object_set_new(args, "progress", json_true());
	c->slow = 1;
	ctl_connect(c);
	res = ctl_call(c, "create", args);
	if (c->json) {
		ctl_print_json_line(res);
		json_decref(res);
		return EXIT_OK;
	}
	printf("created %s (domain %" JSON_INTEGER_FORMAT ")\n",
	    json_string_value(json_object_get(res, "name")),
	    json_integer_value(json_object_get(res, "domid")));
	if (attach) {
		fflush(stdout);
		c->slow = 0;
		rc = ctl_console_attach(c, json_string_value(
		    json_object_get(res, "name")), 1);
		json_decref(res);
		return rc;
	}
	json_decref(res);
	return EXIT_OK;
}

int
ctl_mem_set_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("mem-set", NULL);
	const char *cause, *pos[2], *on_miss = NULL;
	uint64_t kib, deadline = 0;
	json_t *args, *res;
	int i, npos = 0, force = 0, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (strcmp(argv[i], "--deadline") == 0) {
			if (++i == argc || strnum_duration_ms(argv[i],
			    &deadline, &cause) != 0 || deadline == 0)
				return ctl_usage_error(self, "--deadline needs "
				    "a duration like \"30s\" or \"500ms\"");
		} else if (strcmp(argv[i], "--on-miss") == 0) {
			if (++i == argc)
				return ctl_usage_error(self, "--on-miss needs "
				    "log, pause, save or destroy");
			on_miss = argv[i];
			if (strcmp(on_miss, "log") != 0 &&
			    strcmp(on_miss, "pause") != 0 &&
			    strcmp(on_miss, "save") != 0 &&
			    strcmp(on_miss, "destroy") != 0)
				return ctl_usage_error(self, "--on-miss must be "
				    "log, pause, save or destroy");
		} else if ((rc = ctl_arg_positional(self, argv[i], pos, &npos,
		    2)) != EXIT_OK)
			return rc;
	}
	if ((rc = ctl_args_complete(self, npos, 2)) != EXIT_OK)
		return rc;
	if (on_miss != NULL && deadline == 0)
		return ctl_usage_error(self, "--on-miss needs --deadline");
	if (strnum_size_kib(pos[1], &kib, &cause) != 0)
		return ctl_usage_error(self, "bad size \"%s\": %s", pos[1],
		    cause);
	args = json_object();
	json_object_set_new(args, "domain", json_string(pos[0]));
	json_object_set_new(args, "memory_kib", json_integer((json_int_t)kib));
	if (force)
		json_object_set_new(args, "force", json_true());
	if (deadline != 0) {
		json_object_set_new(args, "deadline_ms", json_integer(
		    (json_int_t)deadline));
		if (on_miss != NULL)
			json_object_set_new(args, "on_miss",
			    json_string(on_miss));
		/* Progress items keep the wait alive; a bar on a terminal. */
		json_object_set_new(args, "progress", json_true());
		c->slow = 1;
	}
	ctl_connect(c);
	res = ctl_call(c, "mem-set", args);
	if (deadline != 0)
		printf("%s: met its target of %" JSON_INTEGER_FORMAT " MiB in "
		    "%" JSON_INTEGER_FORMAT " ms; has %" JSON_INTEGER_FORMAT
		    " MiB now (was %" JSON_INTEGER_FORMAT " MiB)\n",
		    json_string_value(json_object_get(res, "name")),
		    json_integer_value(json_object_get(res, "target_kib")) /
		    1024, json_integer_value(json_object_get(res, "comply_ms")),
		    json_integer_value(json_object_get(res, "mem_kib")) / 1024,
		    json_integer_value(json_object_get(res, "from_kib")) / 1024);
	else
		printf("%s: target %" JSON_INTEGER_FORMAT " MiB set; has %"
		    JSON_INTEGER_FORMAT " MiB now (was %" JSON_INTEGER_FORMAT
		    " MiB; the guest's balloon driver moves it)\n",
		    json_string_value(json_object_get(res, "name")),
		    json_integer_value(json_object_get(res, "target_kib")) /
		    1024,
		    json_integer_value(json_object_get(res, "mem_kib")) / 1024,
		    json_integer_value(json_object_get(res, "from_kib")) / 1024);
	json_decref(res);
	return EXIT_OK;
}

static const char *
absolute(const char *path, char *buf, size_t len)
{
	char cwd[PATH_MAX];

	if (path[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
		return path;
	snprintf(buf, len, "%s/%s", cwd, path);
	return buf;
}

int
ctl_save_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("save", NULL);
	char buf[PATH_MAX * 2];
	const char *compress = NULL, *pos[2];
	json_t *args, *res;
	int i, rc, npos = 0, checkpoint = 0;

	/* Options before or after DOMAIN FILE, as mem-set and sched take
	 * them; the choices checked here, before anything is sent. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--checkpoint") == 0)
			checkpoint = 1;
		else if (strcmp(argv[i], "--compress") == 0) {
			compress = ++i < argc ? argv[i] : "";
			if (strcmp(compress, "none") != 0 &&
			    strcmp(compress, "lz4") != 0 &&
			    strcmp(compress, "zstd") != 0)
				return ctl_usage_error(self, "--compress must be "
				    "none, lz4 or zstd");
		} else if ((rc = ctl_arg_positional(self, argv[i], pos, &npos,
		    2)) != EXIT_OK)
			return rc;
	}
	if ((rc = ctl_args_complete(self, npos, 2)) != EXIT_OK)
		return rc;
	args = json_object();
	if (checkpoint)
		json_object_set_new(args, "checkpoint", json_true());
	if (compress != NULL)
		json_object_set_new(args, "compress", json_string(compress));
	json_object_set_new(args, "domain", json_string(pos[0]));
	json_object_set_new(args, "path", json_string(absolute(pos[1], buf,
	    sizeof buf)));
	/* Progress items also keep the wait alive; shown or not is ours. */
	json_object_set_new(args, "progress", json_true());
	c->slow = 1;
	ctl_connect(c);
	res = ctl_call(c, "save", args);
	if (c->json) {
		ctl_print_json_line(res);
		json_decref(res);
		return EXIT_OK;
	}
	printf("saved %s to %s (%s%s, %.2f s, %lld bytes)\n", pos[0], pos[1],
	    json_string_value(json_object_get(res, "method")) ?
	    json_string_value(json_object_get(res, "method")) : "?",
	    checkpoint ? ", checkpoint: it runs on" : "",
	    json_number_value(json_object_get(res, "seconds")),
	    (long long)json_integer_value(json_object_get(res, "bytes")));
	json_decref(res);
	return EXIT_OK;
}

int
ctl_restore_run(struct ctl *c, int argc, char **argv)
{
	char buf[PATH_MAX * 2];
	const char *path;
	json_t *args, *res;
	int rc;

	if ((rc = ctl_args_only(ctl_find("restore", NULL), argc, argv, &path,
	    1)) != EXIT_OK)
		return rc;
	args = json_object();
	json_object_set_new(args, "path", json_string(absolute(path, buf,
	    sizeof buf)));
	/* Progress items also keep the wait alive; shown or not is ours. */
	json_object_set_new(args, "progress", json_true());
	c->slow = 1;
	ctl_connect(c);
	res = ctl_call(c, "restore", args);
	if (c->json) {
		ctl_print_json_line(res);
		json_decref(res);
		return EXIT_OK;
	}
	/* As create says it: the name is what the user knows it by. */
	printf("restored %s (domain %" JSON_INTEGER_FORMAT ")\n",
	    json_string_value(json_object_get(res, "name")),
	    json_integer_value(json_object_get(res, "domid")));
	/* The restore worked, but the user should know (cmd-restore.c). */
	if (json_is_string(json_object_get(res, "warning")))
		fprintf(stderr, "xenctl: warning: %s\n",
		    json_string_value(json_object_get(res, "warning")));
	json_decref(res);
	return EXIT_OK;
}
