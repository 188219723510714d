/*
 * test-vbdkeep.c: the xc backend's disk records on disk
 * (hv_xc_vbd_keep.c), which a restarted xend uses to release the loop
 * devices of guests that died meanwhile.  Guards against: records lost
 * or altered across a save and load (a path with spaces, a phy: disk, a
 * CD-ROM), and a damaged or hostile file making xend act on something
 * that is not a loop device it bound (a bogus loop number, a node that
 * is not /dev/loopN, a relative target, an odd hex string, a NUL); the
 * owner token (and an older xend's lines without one) across a save and
 * load; and vbd_owner_of, which keeps a dead domain's teardown off a
 * newer domain's backend directory at the same path.
 */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "hv_xc_vbd_keep.h"

static char db[256], kept[300];

static void
rec(struct vbd_rec *v, uint32_t domid, int loop, const char *spec)
{
	char err[300];

	memset(v, 0, sizeof *v);
	v->domid = domid;
	v->loop = loop;
	if (diskcfg_parse(spec, &v->cfg, err, sizeof err) != 0)
		printf("# %s: %s\n", spec, err);
	if (loop >= 0)
		snprintf(v->node, sizeof v->node, "/dev/loop%d", loop);
}

static size_t
load_text(const char *text, struct vbd_rec *out, size_t max)
{
	FILE *f = fopen(kept, "w");

	fputs(text, f);
	fclose(f);
	return vbd_keep_load(out, max);
}

int
main(void)
{
	struct vbd_rec in[3], out[8];
	size_t n;

	snprintf(db, sizeof db, "/tmp/test-vbdkeep.%d.db", (int)getpid());
	snprintf(kept, sizeof kept, "%s.xc-vbds", db);
	vbd_keep_init(db);
	rec(&in[0], 3, 0, "file:/img/a b.img,xvda,w");
	rec(&in[1], 3, -1, "phy:/dev/sdb,xvdb,r");
	rec(&in[2], 7, 12, "/iso/cd.iso,xvdc:cdrom,r");
	in[0].owner = 0x8000000000000001ULL;
	in[1].owner = 0x0123456789abcdefULL;
	in[2].owner = 0;
	vbd_keep_save(in, 3);
	n = vbd_keep_load(out, 8);
	CHECK("vbdkeep: three records back", n == 3);
	CHECK("vbdkeep: file disk intact", n == 3 && out[0].domid == 3 &&
	    out[0].loop == 0 && strcmp(out[0].node, "/dev/loop0") == 0 &&
	    strcmp(out[0].cfg.target, "/img/a b.img") == 0 &&
	    out[0].cfg.writable && !out[0].cfg.phy &&
	    out[0].cfg.devid == 51712 && strcmp(out[0].cfg.vdev, "xvda") == 0);
	CHECK("vbdkeep: phy disk intact", n == 3 && out[1].loop == -1 &&
	    out[1].node[0] == '\0' && out[1].cfg.phy && !out[1].cfg.writable &&
	    strcmp(out[1].cfg.target, "/dev/sdb") == 0);
	CHECK("vbdkeep: cdrom intact", n == 3 && out[2].domid == 7 &&
	    out[2].cfg.cdrom && out[2].loop == 12 && out[2].cfg.devid == 51744);
	CHECK("vbdkeep: owner tokens intact", n == 3 &&
	    out[0].owner == 0x8000000000000001ULL &&
	    out[1].owner == 0x0123456789abcdefULL && out[2].owner == 0);
	vbd_keep_save(in, 0);
	CHECK("vbdkeep: saving none empties it", vbd_keep_load(out, 8) == 0);
	vbd_keep_save(in, 3);
	CHECK("vbdkeep: at most max", vbd_keep_load(out, 2) == 2);

	/* "/x" is 2f78. */
	CHECK("vbdkeep: good hand-written line",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 2f78\n", out, 8) == 1 &&
	    out[0].loop == 2 && strcmp(out[0].cfg.target, "/x") == 0);
	CHECK("vbdkeep: node not its loop device skipped",
	    load_text("vbd 4 2 /dev/sda 100 xvdb 2f78\n", out, 8) == 0);
	CHECK("vbdkeep: loop -2 skipped",
	    load_text("vbd 4 -2 - 001 xvdb 2f78\n", out, 8) == 0);
	CHECK("vbdkeep: file without a loop device skipped",
	    load_text("vbd 4 -1 - 100 xvdb 2f78\n", out, 8) == 0);
	CHECK("vbdkeep: phy with a loop device skipped",
	    load_text("vbd 4 2 /dev/loop2 101 xvdb 2f78\n", out, 8) == 0);
	CHECK("vbdkeep: relative target skipped",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 78\n", out, 8) == 0);
	CHECK("vbdkeep: odd hex skipped",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 2f7\n", out, 8) == 0);
	CHECK("vbdkeep: NUL in target skipped",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 2f0078\n", out, 8) == 0);
	CHECK("vbdkeep: bad vdev skipped",
	    load_text("vbd 4 2 /dev/loop2 100 sda 2f78\n", out, 8) == 0);
	CHECK("vbdkeep: bad flags skipped",
	    load_text("vbd 4 2 /dev/loop2 1x0 xvdb 2f78\n", out, 8) == 0);
	CHECK("vbdkeep: truncated last line skipped, others kept",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 2f78\nvbd 5 3 /dev/lo", out,
	    8) == 1 && out[0].domid == 4);
	CHECK("vbdkeep: garbage between good lines",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 2f78\n\xff\xfe junk\n"
	    "vbd 5 3 /dev/loop3 000 xvdc 2f78\n", out, 8) == 2 &&
	    out[1].domid == 5 && !out[1].cfg.writable);
	CHECK("vbdkeep: an older xend's line (no owner) reads as owner 0",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 2f78\n", out, 8) == 1 &&
	    out[0].owner == 0);
	CHECK("vbdkeep: owner read back",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 2f78 00000000000000ff\n",
	    out, 8) == 1 && out[0].owner == 0xff);
	CHECK("vbdkeep: short owner skipped",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 2f78 ff\n", out, 8) == 0);
	CHECK("vbdkeep: non-hex owner skipped",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 2f78 00000000000000fg\n",
	    out, 8) == 0);
	CHECK("vbdkeep: a field after the owner skipped",
	    load_text("vbd 4 2 /dev/loop2 100 xvdb 2f78 00000000000000ff x\n",
	    out, 8) == 0);
	unlink(kept);
	CHECK("vbdkeep: no file, no records", vbd_keep_load(out, 8) == 0);

	/* Teardown scope: only the record's own directory is removed. */
	CHECK("owner: our token: ours",
	    vbd_owner_of(1, 1, 0x1234, 0x1234) == VBD_OWNER_OURS);
	CHECK("owner: another token (a newer domain, same id): not ours",
	    vbd_owner_of(1, 1, 0x5678, 0x1234) == VBD_OWNER_OTHER);
	CHECK("owner: directory gone: gone (teardown repeated)",
	    vbd_owner_of(0, 0, 0, 0x1234) == VBD_OWNER_GONE);
	CHECK("owner: gone for an older record too",
	    vbd_owner_of(0, 0, 0, 0) == VBD_OWNER_GONE);
	CHECK("owner: a directory with no token, a record with one: not ours",
	    vbd_owner_of(1, 0, 0, 0x1234) == VBD_OWNER_OTHER);
	CHECK("owner: an older xend's record and directory (no tokens): ours",
	    vbd_owner_of(1, 0, 0, 0) == VBD_OWNER_OURS);
	CHECK("owner: an older record, a directory with a token: not ours",
	    vbd_owner_of(1, 1, 0x1234, 0) == VBD_OWNER_OTHER);
	CHECK("owner: a token of 0 never matches",
	    vbd_owner_of(1, 1, 0, 0) == VBD_OWNER_OTHER);
	return check_exit();
}
