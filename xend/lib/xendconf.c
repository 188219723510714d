/*
 * xendconf.c: the meaning of xend.conf, the daemon's own settings.
 *
 * Unlike domain configs, unknown keys here are errors: a misspelt
 * "databse" silently ignored would put the database somewhere unexpected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "strnum.h"
#include "xmalloc.h"
#include "protocol.h"

void
xendconf_defaults(struct xend_conf *c)
{
	memset(c, 0, sizeof *c);
	c->socket_path = xstrdup(XEND_SOCKET_DEFAULT);
	c->db_path = xstrdup("/var/lib/xend/xend.db");
	c->backend = xstrdup("xc");
	c->save_compress = xstrdup("none");
	c->nat = xstrdup("auto");
	c->sample_interval_ms = 5000;
	c->sample_retention_ms = UINT64_C(30) * 86400000;
	c->log_dir = xstrdup("/var/log/xend");
	c->sim_memory_mib = 4096;
	c->sim_cpus = 2;
	c->sim_log_size = 16384;
	c->sim_dom0_memory_mib = 512;
	/* On since the xsclient domU passed end to end (tests/domu). */
	c->xenstore = 1;
	c->autoballoon = 1;
	c->mem_floor_mib = 64;
	c->dom0_min_mib = 256;
	c->balloon_wait_ms = 10000;
	c->suspend_timeout = 30;
	c->host_shutdown_save = 0;
	c->host_shutdown_timeout_ms = 60000;
	/* Upstream xenstored's defaults (xs.h XS_QUOTA_DEFAULT). */
	c->xs_quota_nodes = 1000;
	c->xs_quota_value_size = 2048;
	c->xs_quota_bytes = 512 * 1024;
	c->xs_quota_watches = 128;
	c->xs_quota_transactions = 10;
	c->xs_quota_perms = 5;
	c->http = 0;
	c->http_listen = xstrdup("127.0.0.1:8080");
	c->http_root = xstrdup("/usr/share/xend/web");
}

void
xendconf_free(struct xend_conf *c)
{
	free(c->socket_path);
	free(c->db_path);
	free(c->backend);
	free(c->save_compress);
	free(c->nat);
	free(c->log_dir);
	free(c->sim_state);
	free(c->http_listen);
	free(c->http_root);
	free(c->http_token_file);
	free(c->http_password_hash);
	memset(c, 0, sizeof *c);
}

/* Durations may be a number of seconds or a string with a unit ("500ms"). */
static int
want_duration(const struct cfg_file *f, const struct cfg_setting *s,
    uint64_t *ms, char **error)
{
	const char *cause;
	uint64_t v;

	if (s->value.type == CFG_NUMBER) {
		if (s->value.num < 1 || s->value.num > 86400) {
			*error = cfg_error_at(f, s->value.line, s->value.col,
			    "'%s' must be 1 to 86400 seconds", s->key);
			return -1;
		}
		*ms = s->value.num * 1000;
		return 0;
	}
	if (s->value.type != CFG_STRING ||
	    strnum_duration_ms(s->value.str, &v, &cause) != 0) {
		*error = cfg_error_at(f, s->value.line, s->value.col, "'%s' "
		    "must be seconds or a duration like \"500ms\" or \"5s\"",
		    s->key);
		return -1;
	}
	if (v < 10 || v > 86400000) {
		*error = cfg_error_at(f, s->value.line, s->value.col,
		    "'%s' must be between 10ms and 1d", s->key);
		return -1;
	}
	*ms = v;
	return 0;
}

/* How long raw samples are kept: a duration, or 0 for ever. */
static int
want_retention(const struct cfg_file *f, const struct cfg_setting *s,
    uint64_t *ms, char **error)
{
	const char *cause;
	uint64_t v;

	if (s->value.type == CFG_NUMBER && s->value.num == 0) {
		*ms = 0;
		return 0;
	}
	if (s->value.type != CFG_STRING ||
	    strnum_duration_ms(s->value.str, &v, &cause) != 0 ||
	    v < 3600000) {
		*error = cfg_error_at(f, s->value.line, s->value.col, "'%s' "
		    "must be a duration of at least an hour, like \"30d\", or "
		    "0 to keep raw samples for ever", s->key);
		return -1;
	}
	*ms = v;
	return 0;
}

/* on_host_shutdown: "shutdown" (0) or "save" (1). */
static int
want_host_action(const struct cfg_file *f, const struct cfg_setting *s,
    uint64_t *save, char **error)
{
	if (s->value.type == CFG_STRING &&
	    (strcmp(s->value.str, "shutdown") == 0 ||
	    strcmp(s->value.str, "save") == 0)) {
		*save = strcmp(s->value.str, "save") == 0;
		return 0;
	}
	*error = cfg_error_at(f, s->value.line, s->value.col, "'%s' must be "
	    "\"shutdown\" or \"save\"", s->key);
	return -1;
}

/* http: yes/no (or 1/0). */
static int
want_yes_no(const struct cfg_file *f, const struct cfg_setting *s,
    uint64_t *out, char **error)
{
	if (s->value.type == CFG_STRING && (strcmp(s->value.str, "yes") == 0 ||
	    strcmp(s->value.str, "no") == 0)) {
		*out = strcmp(s->value.str, "yes") == 0;
		return 0;
	}
	if (s->value.type == CFG_NUMBER && s->value.num <= 1) {
		*out = s->value.num;
		return 0;
	}
	*error = cfg_error_at(f, s->value.line, s->value.col, "'%s' must be "
	    "yes or no", s->key);
	return -1;
}

/* "A.B.C.D:PORT" with each part in range and nothing else. */
static int
http_listen_ok(const char *v)
{
	unsigned a, b, c, d, port;
	char tail;

	if (strlen(v) > 21 || sscanf(v, "%3u.%3u.%3u.%3u:%5u%c", &a, &b, &c,
	    &d, &port, &tail) != 5)
		return 0;
	return a < 256 && b < 256 && c < 256 && d < 256 && port >= 1 &&
	    port <= 65535;
}

int
xendconf_parse(const char *path, const char *text, size_t len,
    struct xend_conf *c, char **error)
{
	struct cfg_file f;
	const struct cfg_setting *s;
	size_t i;
	int rc = 0;

	if (cfg_parse(path, text, len, &f, error) != 0)
		return -1;
	for (i = 0; i < f.n && rc == 0; i++) {
		s = &f.settings[i];
		if (strcmp(s->key, "socket") == 0)
			rc = cfg_want_string(&f, s, &c->socket_path, error);
		else if (strcmp(s->key, "database") == 0)
			rc = cfg_want_string(&f, s, &c->db_path, error);
		else if (strcmp(s->key, "log_dir") == 0)
			rc = cfg_want_string(&f, s, &c->log_dir, error);
		else if (strcmp(s->key, "sim_state") == 0)
			rc = cfg_want_string(&f, s, &c->sim_state, error);
		else if (strcmp(s->key, "backend") == 0) {
			rc = cfg_want_string(&f, s, &c->backend, error);
			if (rc == 0 && strcmp(c->backend, "sim") != 0 &&
			    strcmp(c->backend, "xc") != 0) {
				*error = cfg_error_at(&f, s->value.line,
				    s->value.col, "backend must be \"xc\" or "
				    "\"sim\"");
				rc = -1;
			}
		} else if (strcmp(s->key, "sample_interval") == 0)
			rc = want_duration(&f, s, &c->sample_interval_ms,
			    error);
		else if (strcmp(s->key, "sample_retention") == 0)
			rc = want_retention(&f, s, &c->sample_retention_ms,
			    error);
		else if (strcmp(s->key, "sim_memory") == 0)
			rc = cfg_want_number(&f, s, 64, DOM_MEMORY_MAX,
			    &c->sim_memory_mib, error);
		else if (strcmp(s->key, "sim_dom0_memory") == 0)
			rc = cfg_want_number(&f, s, 16, DOM_MEMORY_MAX,
			    &c->sim_dom0_memory_mib, error);
		else if (strcmp(s->key, "sim_cpus") == 0)
			rc = cfg_want_number(&f, s, 1, 512, &c->sim_cpus,
			    error);
		else if (strcmp(s->key, "sim_log_size") == 0)
			rc = cfg_want_number(&f, s, 1024, 64 * 1024 * 1024,
			    &c->sim_log_size, error);
		else if (strcmp(s->key, "xenstore") == 0)
			rc = cfg_want_number(&f, s, 0, 1, &c->xenstore, error);
		else if (strcmp(s->key, "autoballoon") == 0)
			rc = cfg_want_number(&f, s, 0, 1, &c->autoballoon,
			    error);
		else if (strcmp(s->key, "mem_floor") == 0)
			rc = cfg_want_number(&f, s, 1, DOM_MEMORY_MAX,
			    &c->mem_floor_mib, error);
		else if (strcmp(s->key, "dom0_min_memory") == 0)
			rc = cfg_want_number(&f, s, 16, DOM_MEMORY_MAX,
			    &c->dom0_min_mib, error);
		else if (strcmp(s->key, "balloon_wait") == 0)
			rc = want_duration(&f, s, &c->balloon_wait_ms, error);
		else if (strcmp(s->key, "save_compress") == 0) {
			rc = cfg_want_string(&f, s, &c->save_compress, error);
			if (rc == 0 && xend_compress_code(c->save_compress) < 0) {
				*error = cfg_error_at(&f, s->value.line,
				    s->value.col, "save_compress must be "
				    "\"none\", \"lz4\" or \"zstd\"");
				rc = -1;
			}
		} else if (strcmp(s->key, "nat") == 0) {
			rc = cfg_want_string(&f, s, &c->nat, error);
			if (rc == 0 && strcmp(c->nat, "auto") != 0 &&
			    strcmp(c->nat, "off") != 0) {
				*error = cfg_error_at(&f, s->value.line,
				    s->value.col, "nat must be \"auto\" or "
				    "\"off\"");
				rc = -1;
			}
		} else if (strcmp(s->key, "suspend_timeout") == 0)
			rc = cfg_want_number(&f, s, 1, 3600,
			    &c->suspend_timeout, error);
		else if (strcmp(s->key, "on_host_shutdown") == 0)
			rc = want_host_action(&f, s, &c->host_shutdown_save,
			    error);
		else if (strcmp(s->key, "host_shutdown_timeout") == 0)
			rc = want_duration(&f, s, &c->host_shutdown_timeout_ms,
			    error);
		else if (strcmp(s->key, "xenstore_quota_nodes") == 0)
			rc = cfg_want_number(&f, s, 16, 1000000,
			    &c->xs_quota_nodes, error);
		else if (strcmp(s->key, "xenstore_quota_value_size") == 0)
			rc = cfg_want_number(&f, s, 64, 4096,
			    &c->xs_quota_value_size, error);
		else if (strcmp(s->key, "xenstore_quota_bytes") == 0)
			rc = cfg_want_number(&f, s, 4096, 256 * 1024 * 1024,
			    &c->xs_quota_bytes, error);
		else if (strcmp(s->key, "xenstore_quota_watches") == 0)
			rc = cfg_want_number(&f, s, 1, 1024,
			    &c->xs_quota_watches, error);
		else if (strcmp(s->key, "xenstore_quota_transactions") == 0)
			rc = cfg_want_number(&f, s, 1, 1024,
			    &c->xs_quota_transactions, error);
		else if (strcmp(s->key, "xenstore_quota_perms") == 0)
			rc = cfg_want_number(&f, s, 1, 256,
			    &c->xs_quota_perms, error);
		else if (strcmp(s->key, "http") == 0)
			rc = want_yes_no(&f, s, &c->http, error);
		else if (strcmp(s->key, "http_listen") == 0) {
			rc = cfg_want_string(&f, s, &c->http_listen, error);
			if (rc == 0 && !http_listen_ok(c->http_listen)) {
				*error = cfg_error_at(&f, s->value.line,
				    s->value.col, "http_listen must be "
				    "\"IPv4-ADDRESS:PORT\", like "
				    "\"127.0.0.1:8080\"");
				rc = -1;
			}
		} else if (strcmp(s->key, "http_root") == 0)
			rc = cfg_want_string(&f, s, &c->http_root, error);
		else if (strcmp(s->key, "http_token_file") == 0)
			rc = cfg_want_string(&f, s, &c->http_token_file, error);
		else if (strcmp(s->key, "http_password_hash") == 0) {
			rc = cfg_want_string(&f, s, &c->http_password_hash,
			    error);
			if (rc == 0 && c->http_password_hash[0] != '$') {
				*error = cfg_error_at(&f, s->value.line,
				    s->value.col, "http_password_hash must be "
				    "a crypt(3) hash such as \"$y$...\" "
				    "(mkpasswd), never the password itself");
				rc = -1;
			}
		} else {
			*error = cfg_error_at(&f, s->line, s->col,
			    "unknown key '%s' (see etc/xend.conf for the "
			    "list)", s->key);
			rc = -1;
		}
	}
	if (rc == 0 && c->sim_dom0_memory_mib >= c->sim_memory_mib) {
		*error = cfg_error_at(&f, 1, 1, "sim_dom0_memory must be below "
		    "sim_memory");
		rc = -1;
	}
	cfg_free(&f);
	return rc;
}

int
xend_compress_code(const char *name)
{
	static const char *const names[] = { "none", "lz4", "zstd" };
	int i;

	for (i = 0; name != NULL && i < 3; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}
