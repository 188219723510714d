/*
 * xend.c: the domain-0 daemon's entry point.  Reads the configuration,
 * opens the database and the hypervisor backend, rediscovers domains,
 * then listens and runs the event loop until SIGTERM/SIGINT.  The
 * start-up reads top to bottom in main(); each step is one call.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "balloon.h"
#include "job.h"
#include "log.h"
#include "strnum.h"
#include "http.h"
#include "xend.h"
#include "xmalloc.h"
#include "xs.h"
#ifdef HAVE_XC
#include "hv_xc_vif.h"
#endif

struct xend *xend;

static const char usage_text[] =
"usage: xend [-v] [-f FILE] [--socket PATH] [--db PATH] [--backend xc|sim]\n"
"            [--sample-interval DURATION] [--sim-state PATH] [--log-dir DIR]\n"
"\n"
"The domain-0 management daemon.  It runs in the foreground; xenctl talks\n"
"to it over a UNIX socket.\n"
"\n"
"  -f, --config FILE        settings file (default /etc/xend.conf; a\n"
"                           missing default file is not an error)\n"
"      --socket PATH        listening socket (default /run/xend/xend.sock)\n"
"      --db PATH            sqlite database (default /var/lib/xend/xend.db)\n"
"      --backend NAME       xc: the real hypervisor via libxc (dom0 only);\n"
"                           sim: a simulated hypervisor (only in the\n"
"                           test build xend-sim)\n"
"      --sample-interval D  accounting interval: seconds, or 500ms, 5s, 1m\n"
"      --sim-state PATH     simulator state file (default DB.sim-state)\n"
"      --log-dir DIR        the domU console logs (DIR/console/NAME.log)\n"
"                           and -v's xend-PID.log (default /var/log/xend)\n"
"  -v, --verbose            write a debug log (repeat for more)\n"
"  -h, --help               this text\n"
"  -V, --version            print the version\n"
"\n"
"Command-line options override the settings file.  See docs/xend.md.\n";

static void
replace(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

/* Read the settings file; a missing default file just means defaults. */
static void
load_conf(const char *path, int explicit)
{
	char *text, *error = NULL;
	size_t len;

	if (!explicit && access(path, F_OK) != 0 && errno == ENOENT)
		return;
	if (cfg_read_file(path, &text, &len, &error) != 0 ||
	    xendconf_parse(path, text, len, &xend->conf, &error) != 0) {
		fprintf(stderr, "xend: %s\n", error);
		exit(1);
	}
	free(text);
}

/* Create the parent directory of a file if missing (like mkdir -p). */
static void
make_parent_dir(const char *path)
{
	char *dir = xstrdup(path), *p;

	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			fatal("mkdir %s", dir);
		*p = '/';
	}
	free(dir);
}

enum { OPT_SOCKET = 256, OPT_DB, OPT_BACKEND, OPT_INTERVAL, OPT_SIMSTATE,
    OPT_LOGDIR };

static void
parse_args(int argc, char **argv, int *verbose)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "db", required_argument, NULL, OPT_DB },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "sample-interval", required_argument, NULL, OPT_INTERVAL },
		{ "sim-state", required_argument, NULL, OPT_SIMSTATE },
		{ "log-dir", required_argument, NULL, OPT_LOGDIR },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conf_path = XEND_CONF_DEFAULT, *cause;
	const char *o_socket = NULL, *o_db = NULL, *o_backend = NULL;
	const char *o_interval = NULL, *o_sim = NULL, *o_logdir = NULL;
	int ch, conf_explicit = 0;
	uint64_t ms;

	while ((ch = getopt_long(argc, argv, "f:vhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': conf_path = optarg; conf_explicit = 1; break;
		case OPT_SOCKET: o_socket = optarg; break;
		case OPT_DB: o_db = optarg; break;
		case OPT_BACKEND: o_backend = optarg; break;
		case OPT_INTERVAL: o_interval = optarg; break;
		case OPT_SIMSTATE: o_sim = optarg; break;
		case OPT_LOGDIR: o_logdir = optarg; break;
		case 'v': (*verbose)++; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		case 'V': printf("xend %s (protocol %d)\n", XEND_VERSION,
		    XEND_PROTO_VERSION); exit(0);
		default: fputs(usage_text, stderr); exit(2);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "xend: unexpected argument \"%s\"\n%s",
		    argv[optind], usage_text);
		exit(2);
	}
	load_conf(conf_path, conf_explicit);
	if (o_socket) replace(&xend->conf.socket_path, o_socket);
	if (o_db) replace(&xend->conf.db_path, o_db);
	if (o_sim) replace(&xend->conf.sim_state, o_sim);
	if (o_logdir) replace(&xend->conf.log_dir, o_logdir);
	if (o_backend) {
		if (strcmp(o_backend, "sim") != 0 &&
		    strcmp(o_backend, "xc") != 0) {
			fprintf(stderr, "xend: --backend must be xc or sim\n");
			exit(2);
		}
		replace(&xend->conf.backend, o_backend);
	}
	if (o_interval) {
		if (strnum_duration_ms(o_interval, &ms, &cause) != 0 ||
		    ms < 10 || ms > 86400000) {
			fprintf(stderr, "xend: --sample-interval %s: %s\n",
			    o_interval, ms < 10 ? "must be 10ms to 1d" : cause);
			exit(2);
		}
		xend->conf.sample_interval_ms = ms;
	}
}

int
main(int argc, char **argv)
{
	char *cause = NULL;
	struct xerr e;
	struct xs_quota quota;
	int verbose = 0;

	xend = xcalloc(1, sizeof *xend);
	TAILQ_INIT(&xend->domains);
	TAILQ_INIT(&xend->peers);
	xendconf_defaults(&xend->conf);
	xend->started = now_seconds();

	parse_args(argc, argv, &verbose);
	if (verbose > 0) {
		xasprintf(&cause, "%s/.", xend->conf.log_dir);
		make_parent_dir(cause);
		free(cause);
		cause = NULL;
	}
	log_open("xend", verbose, xend->conf.log_dir);

	/* The xenstore quotas before the backend makes its store. */
	quota.nodes = (unsigned)xend->conf.xs_quota_nodes;
	quota.value_size = (unsigned)xend->conf.xs_quota_value_size;
	quota.bytes = (size_t)xend->conf.xs_quota_bytes;
	quota.watches = (unsigned)xend->conf.xs_quota_watches;
	quota.transactions = (unsigned)xend->conf.xs_quota_transactions;
	quota.perms = (unsigned)xend->conf.xs_quota_perms;
	xs_quota_set_default(&quota);

	/* The backend first: if there is no hypervisor, touch nothing. */
	make_parent_dir(xend->conf.db_path);
	if ((xend->hv = hv_open(&xend->conf, &cause)) == NULL)
		fatalx("%s", cause);
	if ((xend->db = db_open(xend->conf.db_path, &cause)) == NULL)
		fatalx("%s", cause);
	if (domain_init(&e) != 0)
		fatalx("cannot read domains: %s", e.msg);
	if (hvlog_ingest() != 0)
		log_warnx("could not read the hypervisor log at start-up");

	if ((xend->base = event_base_new()) == NULL)
		fatalx("cannot create event loop");
#ifdef HAVE_XC
	/* The xenstore rings (xc backend, xenstore = 1) answer guests from
	 * the loop as soon as they notify. */
	if (xs_ring_start_events(xend->base) != 0)
		fatalx("cannot watch the xenstore event channel");
	/* vif hotplug (hv_xc_vif.c) polls from the loop too. */
	if (vif_start_events(xend->base) != 0)
		fatalx("cannot start the vif hotplug timer");
#endif
	/* Jobs answer and log lines go to clients (peer.c); wired here so
	 * neither job.c nor hvlog.c depends on the client side. */
	if (job_init(peer_job_reply, peer_progress, &cause) != 0)
		fatalx("%s", cause);
	hvlog_listen(peer_broadcast_log);
	console_start(peer_console_output);
	if (server_listen(xend->conf.socket_path, &cause) != 0)
		fatalx("%s", cause);
	sampler_start();
	/* The web console, if xend.conf turns it on (docs/web-console.md). */
	if (http_start(&cause) != 0)
		fatalx("%s", cause);
	/* Domains the last host shutdown saved come back (as jobs). */
	hostdown_restore_saved();
	log_info("ready: backend %s, socket %s, database %s",
	    hv_name(xend->hv), xend->conf.socket_path, xend->conf.db_path);

	server_loop();

	xend->stopping = 1;
	sampler_stop();
	http_stop();
	console_stop();
	server_shutdown();
	job_shutdown();
	hostdown_free();
	peer_flush_all();
	peer_free_all();
	balloon_free_all();
	domain_free_all();
	hv_close(xend->hv);
	db_close(xend->db);
	event_base_free(xend->base);
	xendconf_free(&xend->conf);
	free(xend);
	log_close();
	return 0;
}
