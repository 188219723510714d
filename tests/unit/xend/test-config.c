/*
 * test-config.c: the xl.cfg-style parser, the domain schema and the
 * xend.conf schema.  Every key is read back, and every error is checked
 * with its exact file:line:column text, because a message pointing at
 * the wrong place is a bug too.  argv[1] is the repository root, for the
 * shipped example files (default ".").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "xmalloc.h"

static char *last_error;

/* Parse text as t.cfg; return the error (or NULL) and keep it. */
static const char *
dom_error(const char *text)
{
	struct domcfg dc;

	free(last_error);
	last_error = NULL;
	if (domcfg_parse("t.cfg", text, strlen(text), &dc, NULL,
	    &last_error) == 0) {
		domcfg_free(&dc);
		return "(no error)";
	}
	return last_error;
}

#define BASE	"name = \"web\"\nkernel = \"/boot/vmlinuz\"\n"

/* A NUL inside line 2 needs an explicit length. */
static const char *
dom_error_len_nul(void)
{
	static const char text[] = "name = \"a\"\nkernel\0 = \"/k\"\n";
	struct domcfg dc;

	free(last_error);
	last_error = NULL;
	if (domcfg_parse("t.cfg", text, sizeof text - 1, &dc, NULL,
	    &last_error) == 0) {
		domcfg_free(&dc);
		return "(no error)";
	}
	return last_error;
}

static void
test_every_key(void)
{
	const char *text =
	    "# a comment line\n"
	    "name = \"web-1\"   # trailing comment\n"
	    "kernel = '/boot/vmlinuz'\n"
	    "ramdisk = \"/boot/initrd.img\"\n"
	    "root = \"/dev/xvda1 ro\"; extra = \"console=hvc0\"\n"
	    "memory = 256\n"
	    "maxmem = 1024\n"
	    "vcpus = 4\n"
	    "maxvcpus = 6\n"
	    "on_poweroff = \"preserve\"\n"
	    "on_reboot = \"rename-restart\"\n"
	    "on_crash = \"restart\"\n"
	    "vtpm = [ \"backend=0\",\n"
	    "        \"uuid=1\", ]\n";
	struct cfg_warnings w = { NULL, 0 };
	struct domcfg dc;
	char *err = NULL;
	int rc;

	rc = domcfg_parse("t.cfg", text, strlen(text), &dc, &w, &err);
	CHECK("config: full example parses", rc == 0);
	if (rc != 0) {
		printf("# %s\n", err);
		return;
	}
	CHECK_STR("config: name", dc.name, "web-1");
	CHECK_STR("config: kernel (single quotes)", dc.kernel, "/boot/vmlinuz");
	CHECK_STR("config: ramdisk", dc.ramdisk, "/boot/initrd.img");
	CHECK_STR("config: root and extra build cmdline", dc.cmdline,
	    "root=/dev/xvda1 ro console=hvc0");
	CHECK("config: memory", dc.memory_mib == 256);
	CHECK("config: maxmem", dc.maxmem_mib == 1024);
	CHECK("config: vcpus", dc.vcpus == 4);
	CHECK("config: maxvcpus", dc.maxvcpus == 6);
	CHECK("config: on_poweroff", dc.on_poweroff == ACT_PRESERVE);
	CHECK("config: on_reboot", dc.on_reboot == ACT_RENAME_RESTART);
	CHECK("config: on_crash", dc.on_crash == ACT_RESTART);
	CHECK("config: unknown key gives one warning", w.n == 1);
	if (w.n == 1)
		CHECK_STR("config: warning names file:line:col", w.msgs[0],
		    "t.cfg:13:1: warning: unknown key 'vtpm' ignored");
	cfg_warnings_free(&w);
	domcfg_free(&dc);
}

static void
test_defaults(void)
{
	struct domcfg dc;
	char *err = NULL;

	CHECK("config: minimal config parses", domcfg_parse("t.cfg", BASE,
	    strlen(BASE), &dc, NULL, &err) == 0);
	CHECK("config: default memory 128", dc.memory_mib == 128);
	CHECK("config: maxmem defaults to memory", dc.maxmem_mib == 128);
	CHECK("config: default vcpus 1", dc.vcpus == 1);
	CHECK("config: maxvcpus defaults to vcpus", dc.maxvcpus == 1);
	CHECK("config: default actions", dc.on_poweroff == ACT_DESTROY &&
	    dc.on_reboot == ACT_RESTART && dc.on_crash == ACT_DESTROY);
	CHECK("config: no ramdisk by default", dc.ramdisk == NULL);
	CHECK_STR("config: empty cmdline by default", dc.cmdline, "");
	domcfg_free(&dc);
	CHECK_STR("config: cmdline given whole", (dom_error(BASE
	    "cmdline = \"a b\"\n"), last_error ? last_error : "ok"), "ok");
}

static void
test_errors(void)
{
	CHECK_STR("config: missing name", dom_error("kernel = \"/k\"\n"),
	    "t.cfg:1:1: missing required key 'name'");
	CHECK_STR("config: missing kernel", dom_error("name = \"a\"\n"),
	    "t.cfg:1:1: missing required key 'kernel'");
	CHECK_STR("config: size suffix in number", dom_error(BASE
	    "memory = 512M\n"), "t.cfg:3:10: bad number '512M' (numbers are "
	    "plain decimal digits; sizes are in MiB)");
	CHECK_STR("config: negative number", dom_error(BASE "vcpus = -2\n"),
	    "t.cfg:3:9: signed numbers are not allowed");
	CHECK_STR("config: quoted number", dom_error(BASE "memory = \"512\"\n"),
	    "t.cfg:3:10: 'memory' must be a number (remove the quotes)");
	CHECK_STR("config: zero memory", dom_error(BASE "memory = 0\n"),
	    "t.cfg:3:10: 'memory' must be between 1 and 16777216, not 0");
	CHECK_STR("config: number overflow", dom_error(BASE
	    "memory = 99999999999999999999999\n"),
	    "t.cfg:3:10: number too large");
	CHECK_STR("config: maxmem below memory", dom_error(BASE
	    "memory = 256\nmaxmem = 128\n"),
	    "t.cfg:4:10: maxmem (128) must not be below memory (256)");
	CHECK_STR("config: too many vcpus", dom_error(BASE "vcpus = 129\n"),
	    "t.cfg:3:9: 'vcpus' must be between 1 and 128, not 129");
	CHECK_STR("config: maxvcpus below vcpus", dom_error(BASE
	    "vcpus = 4\nmaxvcpus = 2\n"),
	    "t.cfg:4:12: maxvcpus (2) must not be below vcpus (4)");
	CHECK_STR("config: maxvcpus above 8", dom_error(BASE
	    "maxvcpus = 9\n"),
	    "t.cfg:3:12: 'maxvcpus' must be between 1 and 8, not 9");
	CHECK_STR("config: bad action", dom_error(BASE
	    "on_crash = \"explode\"\n"), "t.cfg:3:12: 'on_crash' must be one "
	    "of \"destroy\", \"restart\", \"preserve\", \"rename-restart\"");
	CHECK_STR("config: cmdline with root", dom_error(BASE
	    "cmdline = \"x\"\nroot = \"/dev/xvda\"\n"),
	    "t.cfg:4:1: 'root' cannot be combined with 'cmdline' (set at "
	    "line 3); put everything in cmdline");
	CHECK_STR("config: relative kernel", dom_error("name = \"a\"\n"
	    "kernel = \"vmlinuz\"\n"),
	    "t.cfg:2:10: 'kernel' must be an absolute path");
	CHECK_STR("config: kernel as number", dom_error("name = \"a\"\n"
	    "kernel = 5\n"), "t.cfg:2:10: 'kernel' must be a quoted string");
	CHECK_STR("config: unterminated string", dom_error("name = \"abc\n"),
	    "t.cfg:1:8: unterminated string");
	CHECK_STR("config: unknown escape", dom_error("name = \"a\\qb\"\n"),
	    "t.cfg:1:10: unknown escape in string (use \\\\, \\\", \\n or \\t)");
	CHECK_STR("config: nested list", dom_error(BASE "vif = [[\"a\"]]\n"),
	    "t.cfg:3:8: lists cannot be nested");
	CHECK_STR("config: unterminated list", dom_error(BASE
	    "vif = [\"a\",\n"), "t.cfg:3:7: unterminated list");
	CHECK_STR("config: missing comma in list", dom_error(BASE
	    "vif = [\"a\" \"b\"]\n"),
	    "t.cfg:3:12: expected ',' or ']' in list, found a string");
	CHECK_STR("config: duplicate key", dom_error(BASE "memory = 1\n"
	    "memory = 2\n"),
	    "t.cfg:4:1: duplicate key 'memory' (first set at line 3)");
	CHECK_STR("config: missing equals", dom_error(BASE "memory 512\n"),
	    "t.cfg:3:8: expected '=' after 'memory', found a number");
	CHECK_STR("config: missing value", dom_error(BASE "memory =\n"),
	    "t.cfg:3:9: expected a value, found end of line");
	CHECK_STR("config: bare word value", dom_error("name = web\n"),
	    "t.cfg:1:8: expected a value, found bare word 'web' (put strings "
	    "in quotes)");
	CHECK_STR("config: junk after value", dom_error(BASE
	    "memory = 5 6\n"), "t.cfg:3:12: expected end of line after the "
	    "value of 'memory', found a number");
	CHECK_STR("config: stray character", dom_error(BASE "@\n"),
	    "t.cfg:3:1: unexpected '@'");
	CHECK_STR("config: NUL byte", dom_error_len_nul(),
	    "t.cfg:2:1: NUL byte in file");
	CHECK_STR("config: invalid UTF-8", dom_error(BASE "# \xff\xfe\n"),
	    "t.cfg:3:1: line is not valid UTF-8");
	CHECK_STR("config: all-digit name", dom_error("name = \"1234\"\n"
	    "kernel = \"/k\"\n"), "t.cfg:1:8: name must not be all digits "
	    "(it would look like a domain id)");
	CHECK_STR("config: bad name character", dom_error("name = \"a b\"\n"
	    "kernel = \"/k\"\n"), "t.cfg:1:8: name may only contain letters, "
	    "digits, '-', '_' and '.'");
	CHECK_STR("config: reserved name", dom_error("name = \"Domain-0\"\n"
	    "kernel = \"/k\"\n"), "t.cfg:1:8: name Domain-0 is reserved");
	CHECK_STR("config: name too long", dom_error("name = \"aaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n"
	    "kernel = \"/k\"\n"),
	    "t.cfg:1:8: name is longer than 63 characters");
}

static void
test_xend_conf(const char *root)
{
	struct xend_conf c;
	char *err = NULL, *text, path[4096];
	const char *t;
	size_t len;

	xendconf_defaults(&c);
	t = "backend = \"sim\"\nsample_interval = \"500ms\"\n"
	    "socket = \"/tmp/s\"\nsim_memory = 8192\n";
	CHECK("xend.conf: settings parse", xendconf_parse("x.conf", t,
	    strlen(t), &c, &err) == 0);
	CHECK("xend.conf: interval with unit", c.sample_interval_ms == 500);
	CHECK_STR("xend.conf: backend", c.backend, "sim");
	CHECK_STR("xend.conf: socket", c.socket_path, "/tmp/s");
	CHECK("xend.conf: sim memory", c.sim_memory_mib == 8192);
	CHECK("xend.conf: memory defaults", c.autoballoon == 1 &&
	    c.mem_floor_mib == 64 && c.dom0_min_mib == 256 &&
	    c.balloon_wait_ms == 10000);
	t = "autoballoon = 0\nmem_floor = 32\ndom0_min_memory = 512\n"
	    "balloon_wait = \"2s\"\n";
	CHECK("xend.conf: memory keys", xendconf_parse("x.conf", t,
	    strlen(t), &c, &err) == 0 && c.autoballoon == 0 &&
	    c.mem_floor_mib == 32 && c.dom0_min_mib == 512 &&
	    c.balloon_wait_ms == 2000);
	CHECK("xend.conf: xenstore_quota_perms defaults to xenstored's 5",
	    c.xs_quota_perms == 5);
	t = "xenstore_quota_perms = 8\n";
	CHECK("xend.conf: xenstore_quota_perms", xendconf_parse("x.conf", t,
	    strlen(t), &c, &err) == 0 && c.xs_quota_perms == 8);
	t = "xenstore_quota_perms = 0\n";
	CHECK("xend.conf: xenstore_quota_perms = 0 refused",
	    xendconf_parse("x.conf", t, strlen(t), &c, &err) != 0);
	free(err);
	err = NULL;
	t = "autoballoon = 2\n";
	CHECK("xend.conf: autoballoon = 2 refused", xendconf_parse("x.conf",
	    t, strlen(t), &c, &err) != 0);
	free(err);
	err = NULL;
	CHECK_STR("xend.conf: save_compress defaults to none",
	    c.save_compress, "none");
	t = "save_compress = \"zstd\"\n";
	CHECK("xend.conf: save_compress zstd", xendconf_parse("x.conf", t,
	    strlen(t), &c, &err) == 0 && strcmp(c.save_compress, "zstd") == 0 &&
	    xend_compress_code(c.save_compress) == 2);
	t = "save_compress = \"gzip\"\n";
	CHECK("xend.conf: save_compress gzip refused, naming the choices",
	    xendconf_parse("x.conf", t, strlen(t), &c, &err) != 0 &&
	    err != NULL && strstr(err, "\"lz4\"") != NULL);
	free(err);
	err = NULL;
	t = "sample_interval = 2\n";
	CHECK("xend.conf: interval in seconds", xendconf_parse("x.conf", t,
	    strlen(t), &c, &err) == 0 && c.sample_interval_ms == 2000);
	t = "sample_retention = \"7d\"\n";
	CHECK("xend.conf: retention", xendconf_parse("x.conf", t, strlen(t),
	    &c, &err) == 0 && c.sample_retention_ms == 7 * 86400000ULL);
	t = "sample_retention = 0\n";
	CHECK("xend.conf: retention 0 keeps for ever", xendconf_parse(
	    "x.conf", t, strlen(t), &c, &err) == 0 &&
	    c.sample_retention_ms == 0);
	t = "sample_retention = \"5m\"\n";
	CHECK("xend.conf: retention under an hour refused", xendconf_parse(
	    "x.conf", t, strlen(t), &c, &err) == -1);
	free(err);
	err = NULL;
	t = "databse = \"/x\"\n";
	CHECK("xend.conf: unknown key is an error", xendconf_parse("x.conf",
	    t, strlen(t), &c, &err) == -1);
	CHECK_STR("xend.conf: unknown key message", err, "x.conf:1:1: "
	    "unknown key 'databse' (see etc/xend.conf for the list)");
	free(err);
	err = NULL;
	t = "backend = \"kvm\"\n";
	CHECK("xend.conf: bad backend refused", xendconf_parse("x.conf", t,
	    strlen(t), &c, &err) == -1 && strstr(err, "x.conf:1:11:") == err);
	free(err);
	err = NULL;
	t = "sample_interval = \"1ms\"\n";
	CHECK("xend.conf: interval below 10ms refused", xendconf_parse(
	    "x.conf", t, strlen(t), &c, &err) == -1);
	free(err);
	err = NULL;
	xendconf_free(&c);

	snprintf(path, sizeof path, "%s/etc/xend.conf", root);
	xendconf_defaults(&c);
	CHECK("xend.conf: shipped etc/xend.conf parses",
	    cfg_read_file(path, &text, &len, &err) == 0 &&
	    xendconf_parse(path, text, len, &c, &err) == 0);
	CHECK("xend.conf: shipped file keeps the defaults",
	    c.sample_interval_ms == 5000 && strcmp(c.backend, "xc") == 0 &&
	    c.sample_retention_ms == 30 * 86400000ULL);
	xendconf_free(&c);
	free(text);
}

static void
test_examples(const char *root)
{
	static const char *files[] = { "etc/domu-example.cfg",
	    "etc/dom0-test.cfg" };
	struct cfg_warnings w = { NULL, 0 };
	struct domcfg dc;
	char path[4096], *text, *err = NULL, name[128];
	size_t len, i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s", root, files[i]);
		snprintf(name, sizeof name, "config: shipped %s parses "
		    "without warnings", files[i]);
		text = NULL;
		CHECK(name, cfg_read_file(path, &text, &len, &err) == 0 &&
		    domcfg_parse(path, text, len, &dc, &w, &err) == 0 &&
		    w.n == 0);
		if (err != NULL)
			printf("# %s\n", err);
		else
			domcfg_free(&dc);
		free(text);
		cfg_warnings_free(&w);
	}
}

static int
long_disk_refused(void)
{
	static char spec[DISKCFG_SPEC_MAX + 10];
	struct diskcfg d;
	char err[300];

	memset(spec, 'a', sizeof spec - 1);
	spec[0] = '/';
	return diskcfg_parse(spec, &d, err, sizeof err) != 0 &&
	    strstr(err, "longer than") != NULL;
}

/* disk = [ ... ]: both xl forms, and every refusal names the entry. */
static void
test_disks(void)
{
	struct diskcfg d;
	uint32_t id;
	struct domcfg dc;
	char err[300], *e = NULL;
	static const char text[] = BASE "disk = [ 'file:/img/a.img,xvda,w', "
	    "'target=/dev/sdb,vdev=xvdc,access=ro,format=raw' ]\n";

	CHECK("disk: positional file", diskcfg_parse("file:/x/y.img,xvda,w",
	    &d, err, sizeof err) == 0 && strcmp(d.target, "/x/y.img") == 0 &&
	    d.devid == 51712 && d.writable && !d.phy);
	CHECK("disk: bare path, read-only, xvdb", diskcfg_parse(
	    "/x/y.img,xvdb,r", &d, err, sizeof err) == 0 && d.devid == 51728
	    && !d.writable);
	CHECK("disk: phy: positional", diskcfg_parse("phy:/dev/sdb,xvdz,rw",
	    &d, err, sizeof err) == 0 && d.phy && d.devid == (202u << 8 |
	    25u << 4));
	CHECK("disk: keyed form", diskcfg_parse("vdev=xvdb,access=ro,"
	    "target=/i.img,format=raw,devtype=disk", &d, err, sizeof err) ==
	    0 && strcmp(d.target, "/i.img") == 0 && d.devid == 51728 &&
	    !d.writable);
	CHECK("disk: keyed default access is rw", diskcfg_parse(
	    "target=/i.img,vdev=xvda", &d, err, sizeof err) == 0 &&
	    d.writable);
	CHECK("disk: relative path refused", diskcfg_parse("i.img,xvda,w", &d,
	    err, sizeof err) != 0 && strstr(err, "absolute") != NULL);
	CHECK("disk: hda refused", diskcfg_parse("/i.img,hda,w", &d, err,
	    sizeof err) != 0 && strstr(err, "xvda..xvdz") != NULL);
	CHECK("disk: xvdaa refused", diskcfg_parse("/i.img,xvdaa,w", &d, err,
	    sizeof err) != 0);
	CHECK("disk: bad access refused", diskcfg_parse("/i.img,xvda,x", &d,
	    err, sizeof err) != 0 && strstr(err, "access 'x'") != NULL);
	CHECK("disk: two fields refused", diskcfg_parse("/i.img,xvda", &d,
	    err, sizeof err) != 0);
	CHECK("disk: qcow2 refused", diskcfg_parse("target=/i,vdev=xvda,"
	    "format=qcow2", &d, err, sizeof err) != 0 && strstr(err, "raw"));
	CHECK("disk: keyed cdrom is read-only", diskcfg_parse("target=/i,"
	    "vdev=xvdc,devtype=cdrom", &d, err, sizeof err) == 0 && d.cdrom &&
	    !d.writable);
	CHECK("disk: bare cdrom flag", diskcfg_parse("vdev=xvdc,cdrom,"
	    "target=/i.iso", &d, err, sizeof err) == 0 && d.cdrom &&
	    !d.writable && d.devid == 51744);
	CHECK("disk: positional :cdrom suffix", diskcfg_parse(
	    "file:/cd.iso,xvdd:cdrom,r", &d, err, sizeof err) == 0 &&
	    d.cdrom && !d.writable && strcmp(d.vdev, "xvdd") == 0);
	CHECK("disk: writable cdrom refused", diskcfg_parse("/cd.iso,"
	    "xvdd:cdrom,w", &d, err, sizeof err) != 0 &&
	    strstr(err, "CD-ROM is read-only") != NULL);
	CHECK("disk: keyed writable cdrom refused", diskcfg_parse(
	    "target=/i,vdev=xvdc,devtype=cdrom,access=rw", &d, err,
	    sizeof err) != 0 && strstr(err, "read-only") != NULL);
	CHECK("disk: empty cdrom drive refused", diskcfg_parse(
	    "vdev=xvdc,devtype=cdrom", &d, err, sizeof err) != 0 &&
	    strstr(err, "empty CD-ROM") != NULL);
	CHECK("disk: bad devtype refused", diskcfg_parse("target=/i,"
	    "vdev=xvda,devtype=floppy", &d, err, sizeof err) != 0 &&
	    strstr(err, "devtype 'floppy'") != NULL);
	CHECK("disk: other vdev suffix refused", diskcfg_parse("/i,xvda:disk,"
	    "r", &d, err, sizeof err) != 0 && strstr(err, ":cdrom") != NULL);
	CHECK("disk: suffix in keyed vdev refused", diskcfg_parse("target=/i,"
	    "vdev=xvda:cdrom", &d, err, sizeof err) != 0);
	CHECK("disk: four positional fields", diskcfg_parse(
	    "phy:/dev/vg/x,raw,xvdb,ro", &d, err, sizeof err) == 0 && d.phy &&
	    !d.writable && d.devid == 51728 && strcmp(d.target, "/dev/vg/x")
	    == 0);
	CHECK("disk: four fields, not raw, refused", diskcfg_parse(
	    "/i,qcow2,xvdb,w", &d, err, sizeof err) != 0 &&
	    strstr(err, "only raw") != NULL);
	CHECK("disk: five positional fields refused", diskcfg_parse(
	    "/i,raw,xvdb,w,x", &d, err, sizeof err) != 0 &&
	    strstr(err, "TARGET,FORMAT,VDEV,ACCESS") != NULL);
	CHECK("disk: forms do not mix", diskcfg_parse("/i,xvda,access=w", &d,
	    err, sizeof err) != 0 && strstr(err, "do not mix") != NULL);
	CHECK("disk: positional after keyed refused", diskcfg_parse(
	    "target=/i,xvda", &d, err, sizeof err) != 0 &&
	    strstr(err, "do not mix") != NULL);
	CHECK("disk: a key twice refused", diskcfg_parse("target=/i,vdev=xvda,"
	    "vdev=xvdb", &d, err, sizeof err) != 0 &&
	    strstr(err, "'vdev' given twice") != NULL);
	CHECK("disk: empty value refused", diskcfg_parse("target=/i,vdev=",
	    &d, err, sizeof err) != 0 && strstr(err, "'vdev' is empty"));
	CHECK("disk: empty field refused", diskcfg_parse("/i,,xvda,w", &d,
	    err, sizeof err) != 0 && strstr(err, "field 2 is empty"));
	CHECK("disk: trailing comma refused", diskcfg_parse("/i,xvda,w,", &d,
	    err, sizeof err) != 0);
	CHECK("disk: phy: with nothing refused", diskcfg_parse("phy:,xvda,w",
	    &d, err, sizeof err) != 0 && strstr(err, "absolute") != NULL);
	CHECK("disk: over-long entry refused", long_disk_refused());
	CHECK("disk: vdev ids", diskcfg_vdev_id("xvda", &id) == 0 &&
	    id == 51712 && diskcfg_vdev_id("xvdz", &id) == 0 && id == 51712 +
	    (25u << 4) && diskcfg_vdev_id("sda", &id) != 0 &&
	    diskcfg_vdev_id("xvd", &id) != 0 && diskcfg_vdev_id("xvdA", &id)
	    != 0);
	CHECK("disk: unknown key refused", diskcfg_parse("target=/i,vdev=xvda,"
	    "script=/bin/sh", &d, err, sizeof err) != 0 &&
	    strstr(err, "unknown key 'script'") != NULL);
	CHECK("disk: keyed without vdev refused", diskcfg_parse("target=/i",
	    &d, err, sizeof err) != 0);
	CHECK("disk: too many fields refused", diskcfg_parse(
	    "a,b,c,d,e,f,g,h,i,j", &d, err, sizeof err) != 0);

	CHECK("disk: config with two disks", domcfg_parse("t.cfg", text,
	    strlen(text), &dc, NULL, &e) == 0 && dc.ndisks == 2 &&
	    strcmp(dc.disks[1], "target=/dev/sdb,vdev=xvdc,access=ro,"
	    "format=raw") == 0);
	if (e == NULL)
		domcfg_free(&dc);
	free(e);
	CHECK_STR("disk: a bad entry is pointed at", dom_error(BASE
	    "disk = [ '/a,xvda,w',\n  '/b,sda,w' ]\n"),
	    "t.cfg:4:3: vdev 'sda' is not xvda..xvdz");
	CHECK_STR("disk: a vdev twice", dom_error(BASE
	    "disk = [ '/a,xvda,w', 'target=/b,vdev=xvda' ]\n"),
	    "t.cfg:3:23: xvda is given twice");
	CHECK_STR("disk: not a list", dom_error(BASE "disk = '/a,xvda,w'\n"),
	    "t.cfg:3:8: 'disk' must be a list of strings");
}

/* vif = [ ... ]: keys, defaults, every refusal names what is wrong. */
static void
test_vifs(void)
{
	static const uint8_t h1[16] = { 1, 2, 3 }, h2[16] = { 1, 2, 4 };
	struct vifcfg v;
	struct domcfg dc;
	uint8_t m1[6], m2[6], m3[6];
	char err[300], mac[18], *e = NULL;
	static const char text[] = BASE "vif = [ '', 'mac=00:16:3e:0a:0b:0c,"
	    "bridge=br1,ip=10.0.0.2 10.0.0.3,rate=10Mb/s@20ms,type=vif' ]\n";

	CHECK("vif: empty entry is all defaults", vifcfg_parse("", &v, err,
	    sizeof err) == 0 && !v.mac_set && strcmp(v.bridge, "xenbr0") == 0
	    && v.ip[0] == '\0' && v.rate[0] == '\0');
	CHECK("vif: every key", vifcfg_parse("mac=00:16:3E:0a:0b:0c,bridge=br-1."
	    "x_y,ip=192.168.1.2 10.0.0.1,rate=1MB/s@20ms,type=vif", &v, err,
	    sizeof err) == 0 && v.mac_set && v.mac[2] == 0x3e && v.mac[5] ==
	    0x0c && strcmp(v.bridge, "br-1.x_y") == 0 &&
	    strcmp(v.ip, "192.168.1.2 10.0.0.1") == 0 &&
	    v.rate_usec == 20000 && v.rate_bytes == (1 << 20) / 50);
	CHECK("vif: rate in bits, default interval 50ms", vifcfg_parse(
	    "rate=8Mb/s", &v, err, sizeof err) == 0 && v.rate_usec == 50000 &&
	    v.rate_bytes == (1 << 20) / 20);
	CHECK("vif: bad mac refused", vifcfg_parse("mac=00:16:3e:0a:0b", &v,
	    err, sizeof err) != 0 && strstr(err, "six hex bytes") != NULL);
	CHECK("vif: mac with junk refused", vifcfg_parse(
	    "mac=00:16:3e:0a:0b:0g", &v, err, sizeof err) != 0);
	CHECK("vif: mac with spaces refused", vifcfg_parse(
	    "mac= 0:16:3e:0a:0b:0c", &v, err, sizeof err) != 0);
	CHECK("vif: multicast mac refused", vifcfg_parse(
	    "mac=01:16:3e:0a:0b:0c", &v, err, sizeof err) != 0 &&
	    strstr(err, "multicast") != NULL);
	CHECK("vif: zero mac refused", vifcfg_parse("mac=00:00:00:00:00:00",
	    &v, err, sizeof err) != 0 && strstr(err, "zero") != NULL);
	CHECK("vif: long bridge refused", vifcfg_parse(
	    "bridge=abcdefghijklmnop", &v, err, sizeof err) != 0 &&
	    strstr(err, "interface name") != NULL);
	CHECK("vif: bridge with a slash refused", vifcfg_parse(
	    "bridge=a/b", &v, err, sizeof err) != 0);
	CHECK("vif: empty bridge refused", vifcfg_parse("bridge=", &v, err,
	    sizeof err) != 0);
	CHECK("vif: bad ip refused", vifcfg_parse("ip=10.0.0.300", &v, err,
	    sizeof err) != 0 && strstr(err, "IPv4") != NULL);
	CHECK("vif: bad rate refused", vifcfg_parse("rate=fast", &v, err,
	    sizeof err) != 0 && strstr(err, "RATE[@INTERVAL]") != NULL);
	CHECK("vif: rate with a bad interval refused", vifcfg_parse(
	    "rate=1MB/s@20h", &v, err, sizeof err) != 0);
	CHECK("vif: rate of zero refused", vifcfg_parse("rate=0MB/s", &v,
	    err, sizeof err) != 0);
	CHECK("vif: type=ioemu refused", vifcfg_parse("type=ioemu", &v, err,
	    sizeof err) != 0 && strstr(err, "only vif") != NULL);
	CHECK("vif: unknown key refused", vifcfg_parse("script=/bin/sh", &v,
	    err, sizeof err) != 0 && strstr(err, "unknown key 'script'"));
	CHECK("vif: a key twice refused", vifcfg_parse("bridge=a,bridge=b",
	    &v, err, sizeof err) != 0 && strstr(err, "twice") != NULL);
	CHECK("vif: a field without = refused", vifcfg_parse("xenbr0", &v,
	    err, sizeof err) != 0 && strstr(err, "KEY=VALUE") != NULL);
	CHECK("vif: empty field refused", vifcfg_parse("bridge=a,", &v,
	    err, sizeof err) != 0);

	vifcfg_default_mac(h1, 0, m1);
	vifcfg_default_mac(h1, 0, m2);
	vifcfg_default_mac(h1, 1, m3);
	vifcfg_mac_str(m1, mac, sizeof mac);
	CHECK("vif: default mac is 00:16:3e, unicast, local bit clear",
	    strncmp(mac, "00:16:3e:", 9) == 0 && (m1[3] & 0x80) == 0);
	CHECK("vif: default mac is stable", memcmp(m1, m2, 6) == 0);
	CHECK("vif: default mac differs by device", memcmp(m1, m3, 6) != 0);
	vifcfg_default_mac(h2, 0, m3);
	CHECK("vif: default mac differs by domain", memcmp(m1, m3, 6) != 0);

	CHECK("vif: config with two vifs", domcfg_parse("t.cfg", text,
	    strlen(text), &dc, NULL, &e) == 0 && dc.nvifs == 2 &&
	    strcmp(dc.vifs[0], "") == 0);
	if (e == NULL)
		domcfg_free(&dc);
	free(e);
	e = NULL;
	CHECK_STR("vif: a bad entry is pointed at", dom_error(BASE
	    "vif = [ '',\n  'bridge=a b' ]\n"),
	    "t.cfg:4:3: bridge 'a b' is not an interface name (1-15 of A-Z "
	    "a-z 0-9 _ . -)");
	CHECK_STR("vif: one mac on two vifs", dom_error(BASE
	    "vif = [ 'mac=00:16:3e:00:00:01', 'mac=00:16:3e:00:00:01' ]\n"),
	    "t.cfg:3:34: mac given to two vifs");
	CHECK_STR("vif: not a list", dom_error(BASE "vif = 'bridge=x'\n"),
	    "t.cfg:3:7: 'vif' must be a list of strings");
}

/* The save blob's hot-attached trailer (hotblob.c): what is taken, what
 * is left in the config text. */
struct hot_seen {
	char	 got[512];
};

static void
hot_seen(void *arg, const char *kind, const char *spec)
{
	struct hot_seen *h = arg;
	size_t n = strlen(h->got);

	snprintf(h->got + n, sizeof h->got - n, "[%s|%s]", kind, spec);
}

static void
test_hotblob(void)
{
	struct hot_seen h;
	char *b, text[512];

	b = hotblob_append(xstrdup("name = \"a\"\nkernel = \"/k\""), "disk",
	    "/img,xvdb,w");
	b = hotblob_append(b, "vif", "mac=00:16:3e:00:00:01,bridge=br0");
	memset(&h, 0, sizeof h);
	CHECK("hotblob: two entries appended and split back in order",
	    hotblob_split(b, hot_seen, &h) == 2 && strcmp(h.got,
	    "[disk|/img,xvdb,w][vif|mac=00:16:3e:00:00:01,bridge=br0]") == 0);
	CHECK("hotblob: the config text is left as it was (with a newline)",
	    strcmp(b, "name = \"a\"\nkernel = \"/k\"\n") == 0);
	free(b);
	/* An entry in the middle of the config is the config's comment. */
	snprintf(text, sizeof text, "#xend-hot disk /a,xvdb,w\nname = \"a\"\n");
	memset(&h, 0, sizeof h);
	CHECK("hotblob: an entry before config lines is not the trailer",
	    hotblob_split(text, hot_seen, &h) == 0 && h.got[0] == '\0' &&
	    strstr(text, "name") != NULL);
	snprintf(text, sizeof text, "name = \"a\"\n#xend-hot disk "
	    "/a,hdb,w\n#xend-hot tpm x\n#xend-hot vif script=/bin/sh\n");
	memset(&h, 0, sizeof h);
	CHECK("hotblob: malformed entries, unknown kinds are not taken",
	    hotblob_split(text, hot_seen, &h) == 0 && h.got[0] == '\0');
	CHECK("hotblob: a control character refused, a plain entry kept",
	    !hotblob_spec_ok("ip=1.2.3.4\n#xend-hot disk /etc/x,xvdz,w") &&
	    !hotblob_spec_ok("a\tb") && hotblob_spec_ok("/img b,xvdb,w"));
}

int
main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : ".";

	test_every_key();
	test_defaults();
	test_errors();
	test_disks();
	test_vifs();
	test_hotblob();
	test_xend_conf(root);
	test_examples(root);
	free(last_error);
	return check_exit();
}
