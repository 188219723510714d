/*
 * domcfg.c: the meaning of a domain config file (xl.cfg subset).
 *
 * Known keys: name, kernel, ramdisk, cmdline, extra, root, memory, maxmem,
 * vcpus, maxvcpus, on_poweroff, on_reboot, on_crash, disk (entries:
 * diskcfg.c), vif (entries: vifcfg.c).
 * Unknown keys are ignored with a warning rather than rejected, so an
 * existing xl config that also sets vif and the like still starts; the
 * warning says what was skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "strnum.h"
#include "xmalloc.h"

static const char *action_names[] = {
	[ACT_DESTROY] = "destroy",
	[ACT_RESTART] = "restart",
	[ACT_PRESERVE] = "preserve",
	[ACT_RENAME_RESTART] = "rename-restart",
};

const char *
domcfg_action_name(enum dom_action a)
{
	return action_names[a];
}

const char *
domcfg_check_name(const char *name)
{
	const char *p;
	int digits_only = 1;

	if (name[0] == '\0')
		return "name is empty";
	if (strlen(name) > DOM_NAME_MAX)
		return "name is longer than 63 characters";
	if (name[0] == '-' || name[0] == '.')
		return "name must not start with '-' or '.'";
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return "name may only contain letters, digits, '-', "
			    "'_' and '.'";
		if (*p < '0' || *p > '9')
			digits_only = 0;
	}
	/* A numeric name could not be told apart from a domain id. */
	if (digits_only)
		return "name must not be all digits (it would look like a "
		    "domain id)";
	if (strcmp(name, "Domain-0") == 0)
		return "name Domain-0 is reserved";
	return NULL;
}

static int
want_action(const struct cfg_file *f, const struct cfg_setting *s,
    enum dom_action *out, char **error)
{
	size_t i;

	if (s->value.type == CFG_STRING) {
		for (i = 0; i < sizeof action_names / sizeof action_names[0];
		    i++) {
			if (strcmp(s->value.str, action_names[i]) == 0) {
				*out = (enum dom_action)i;
				return 0;
			}
		}
	}
	*error = cfg_error_at(f, s->value.line, s->value.col, "'%s' must be "
	    "one of \"destroy\", \"restart\", \"preserve\", "
	    "\"rename-restart\"", s->key);
	return -1;
}

static int
want_path(const struct cfg_file *f, const struct cfg_setting *s, char **out,
    char **error)
{
	if (cfg_want_string(f, s, out, error) != 0)
		return -1;
	if ((*out)[0] != '/') {
		*error = cfg_error_at(f, s->value.line, s->value.col,
		    "'%s' must be an absolute path", s->key);
		return -1;
	}
	return 0;
}

static const struct cfg_setting *
find(const struct cfg_file *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->settings[i].key, key) == 0)
			return &f->settings[i];
	return NULL;
}

static int
check_known(const struct cfg_file *f, struct cfg_warnings *w)
{
	static const char *known[] = {
		"name", "kernel", "ramdisk", "cmdline", "extra", "root",
		"memory", "maxmem", "vcpus", "maxvcpus", "on_poweroff", "on_reboot",
		"on_crash", "cpu_weight", "cap", "cpus", "disk", "vif",
	};
	size_t i, k;

	for (i = 0; i < f->n; i++) {
		for (k = 0; k < sizeof known / sizeof known[0]; k++)
			if (strcmp(f->settings[i].key, known[k]) == 0)
				break;
		if (k == sizeof known / sizeof known[0])
			cfg_warn_at(w, f, f->settings[i].line,
			    f->settings[i].col, "warning: unknown key '%s' "
			    "ignored", f->settings[i].key);
	}
	return 0;
}

/* disk = [ 'spec', ... ]: each entry checked now, kept as written. */
static int
want_disks(const struct cfg_file *f, const struct cfg_setting *s,
    struct domcfg *dc, char **error)
{
	const struct cfg_value *v = &s->value;
	struct diskcfg d;
	char why[300];
	size_t i, k;
	uint32_t ids[DISKCFG_MAX];

	if (v->type != CFG_LIST) {
		*error = cfg_error_at(f, v->line, v->col, "'disk' must be a "
		    "list of strings");
		return -1;
	}
	if (v->nitems > DISKCFG_MAX) {
		*error = cfg_error_at(f, v->line, v->col, "at most %d disks",
		    DISKCFG_MAX);
		return -1;
	}
	dc->disks = xcalloc(v->nitems + 1, sizeof *dc->disks);
	for (i = 0; i < v->nitems; i++) {
		const struct cfg_value *it = &v->items[i];

		if (it->type != CFG_STRING ||
		    diskcfg_parse(it->str, &d, why, sizeof why) != 0) {
			*error = cfg_error_at(f, it->line, it->col, "%s",
			    it->type != CFG_STRING ? "a disk entry must be a "
			    "string" : why);
			return -1;
		}
		for (k = 0; k < i; k++)
			if (ids[k] == d.devid) {
				*error = cfg_error_at(f, it->line, it->col,
				    "%s is given twice", d.vdev);
				return -1;
			}
		ids[i] = d.devid;
		dc->disks[dc->ndisks++] = xstrdup(it->str);
	}
	return 0;
}

/* vif = [ 'spec', ... ]: each entry checked now, kept as written; the
 * device ids are the positions (vif-0, vif-1, ...), as xl numbers them.
 * Two entries with the same explicit mac would clash on the bridge. */
static int
want_vifs(const struct cfg_file *f, const struct cfg_setting *s,
    struct domcfg *dc, char **error)
{
	const struct cfg_value *v = &s->value;
	struct vifcfg c, prev[VIFCFG_MAX];
	char why[300];
	size_t i, k;

	if (v->type != CFG_LIST) {
		*error = cfg_error_at(f, v->line, v->col, "'vif' must be a "
		    "list of strings");
		return -1;
	}
	if (v->nitems > VIFCFG_MAX) {
		*error = cfg_error_at(f, v->line, v->col, "at most %d vifs",
		    VIFCFG_MAX);
		return -1;
	}
	dc->vifs = xcalloc(v->nitems + 1, sizeof *dc->vifs);
	for (i = 0; i < v->nitems; i++) {
		const struct cfg_value *it = &v->items[i];

		if (it->type != CFG_STRING ||
		    vifcfg_parse(it->str, &c, why, sizeof why) != 0) {
			*error = cfg_error_at(f, it->line, it->col, "%s",
			    it->type != CFG_STRING ? "a vif entry must be a "
			    "string" : why);
			return -1;
		}
		for (k = 0; k < i; k++)
			if (c.mac_set && prev[k].mac_set &&
			    memcmp(c.mac, prev[k].mac, 6) == 0) {
				*error = cfg_error_at(f, it->line, it->col,
				    "mac given to two vifs");
				return -1;
			}
		prev[i] = c;
		dc->vifs[dc->nvifs++] = xstrdup(it->str);
	}
	return 0;
}

/* xl's rule: cmdline wins; otherwise "root=ROOT EXTRA". */
static int
build_cmdline(const struct cfg_file *f, struct domcfg *dc, char **error)
{
	const struct cfg_setting *c = find(f, "cmdline"), *r = find(f, "root"),
	    *e = find(f, "extra");
	char *root = NULL, *extra = NULL;

	if (c != NULL) {
		if (r != NULL || e != NULL) {
			const struct cfg_setting *o = r != NULL ? r : e;
			*error = cfg_error_at(f, o->line, o->col, "'%s' cannot "
			    "be combined with 'cmdline' (set at line %d); put "
			    "everything in cmdline", o->key, c->line);
			return -1;
		}
		return cfg_want_string(f, c, &dc->cmdline, error);
	}
	if (r != NULL && cfg_want_string(f, r, &root, error) != 0)
		return -1;
	if (e != NULL && cfg_want_string(f, e, &extra, error) != 0) {
		free(root);
		return -1;
	}
	if (root != NULL && extra != NULL)
		xasprintf(&dc->cmdline, "root=%s %s", root, extra);
	else if (root != NULL)
		xasprintf(&dc->cmdline, "root=%s", root);
	else
		dc->cmdline = xstrdup(extra != NULL ? extra : "");
	free(root);
	free(extra);
	return 0;
}

int
domcfg_parse(const char *path, const char *text, size_t len,
    struct domcfg *dc, struct cfg_warnings *w, char **error)
{
	struct cfg_file f;
	const struct cfg_setting *s;
	const char *why;
	uint64_t v;

	memset(dc, 0, sizeof *dc);
	dc->vcpus = 1;
	dc->on_poweroff = ACT_DESTROY;
	dc->on_reboot = ACT_RESTART;
	dc->on_crash = ACT_DESTROY;
	if (cfg_parse(path, text, len, &f, error) != 0)
		return -1;
	check_known(&f, w);

	if ((s = find(&f, "name")) == NULL) {
		*error = cfg_error_at(&f, 1, 1, "missing required key 'name'");
		goto fail;
	}
	if (cfg_want_string(&f, s, &dc->name, error) != 0)
		goto fail;
	if ((why = domcfg_check_name(dc->name)) != NULL) {
		*error = cfg_error_at(&f, s->value.line, s->value.col, "%s",
		    why);
		goto fail;
	}
	if ((s = find(&f, "kernel")) == NULL) {
		*error = cfg_error_at(&f, 1, 1,
		    "missing required key 'kernel'");
		goto fail;
	}
	if (want_path(&f, s, &dc->kernel, error) != 0)
		goto fail;
	if ((s = find(&f, "ramdisk")) != NULL &&
	    want_path(&f, s, &dc->ramdisk, error) != 0)
		goto fail;
	if (build_cmdline(&f, dc, error) != 0)
		goto fail;

	dc->memory_mib = 128;
	if ((s = find(&f, "memory")) != NULL &&
	    cfg_want_number(&f, s, 1, DOM_MEMORY_MAX, &dc->memory_mib,
	    error) != 0)
		goto fail;
	dc->maxmem_mib = dc->memory_mib;
	if ((s = find(&f, "maxmem")) != NULL) {
		if (cfg_want_number(&f, s, 1, DOM_MEMORY_MAX, &dc->maxmem_mib,
		    error) != 0)
			goto fail;
		if (dc->maxmem_mib < dc->memory_mib) {
			*error = cfg_error_at(&f, s->value.line, s->value.col,
			    "maxmem (%llu) must not be below memory (%llu)",
			    (unsigned long long)dc->maxmem_mib,
			    (unsigned long long)dc->memory_mib);
			goto fail;
		}
	}
	if ((s = find(&f, "vcpus")) != NULL) {
		if (cfg_want_number(&f, s, 1, DOM_VCPUS_MAX, &v, error) != 0)
			goto fail;
		dc->vcpus = (uint32_t)v;
	}
	/* maxvcpus: the domain is built with that many vCPUs and boots with
	 * vcpus of them online; the rest wait for `xenctl vcpu-set`.  Kept
	 * small (DOM_MAXVCPUS_MAX): every one is a real vCPU the guest's
	 * kernel sets up at boot. */
	dc->maxvcpus = dc->vcpus;
	if ((s = find(&f, "maxvcpus")) != NULL) {
		if (cfg_want_number(&f, s, 1, DOM_MAXVCPUS_MAX, &v, error) != 0)
			goto fail;
		if (v < dc->vcpus) {
			*error = cfg_error_at(&f, s->value.line, s->value.col,
			    "maxvcpus (%llu) must not be below vcpus (%u)",
			    (unsigned long long)v, dc->vcpus);
			goto fail;
		}
		dc->maxvcpus = (uint32_t)v;
	}
	dc->cpu_weight = 256;
	dc->cpus = UINT64_MAX;
	if ((s = find(&f, "cpu_weight")) != NULL) {
		if (cfg_want_number(&f, s, 1, 65535, &v, error) != 0)
			goto fail;
		dc->cpu_weight = (uint32_t)v;
	}
	/* At most all of 64 CPUs; whether the host has them is checked
	 * when the domain is created. */
	if ((s = find(&f, "cap")) != NULL) {
		if (cfg_want_number(&f, s, 0, 6400, &v, error) != 0)
			goto fail;
		dc->cap = (uint32_t)v;
	}
	if ((s = find(&f, "cpus")) != NULL) {
		char *str = NULL;
		const char *cause;

		if (cfg_want_string(&f, s, &str, error) != 0)
			goto fail;
		if (strnum_cpus(str, &dc->cpus, &cause) != 0) {
			*error = cfg_error_at(&f, s->value.line, s->value.col,
			    "cpus \"%s\": %s", str, cause);
			free(str);
			goto fail;
		}
		free(str);
	}
	if ((s = find(&f, "on_poweroff")) != NULL &&
	    want_action(&f, s, &dc->on_poweroff, error) != 0)
		goto fail;
	if ((s = find(&f, "on_reboot")) != NULL &&
	    want_action(&f, s, &dc->on_reboot, error) != 0)
		goto fail;
	if ((s = find(&f, "on_crash")) != NULL &&
	    want_action(&f, s, &dc->on_crash, error) != 0)
		goto fail;
	if ((s = find(&f, "disk")) != NULL && want_disks(&f, s, dc, error) != 0)
		goto fail;
	if ((s = find(&f, "vif")) != NULL && want_vifs(&f, s, dc, error) != 0)
		goto fail;
	cfg_free(&f);
	return 0;

fail:
	cfg_free(&f);
	domcfg_free(dc);
	return -1;
}

void
domcfg_free(struct domcfg *dc)
{
	free(dc->name);
	free(dc->kernel);
	free(dc->ramdisk);
	free(dc->cmdline);
	while (dc->ndisks > 0)
		free(dc->disks[--dc->ndisks]);
	free(dc->disks);
	while (dc->nvifs > 0)
		free(dc->vifs[--dc->nvifs]);
	free(dc->vifs);
	memset(dc, 0, sizeof *dc);
}
