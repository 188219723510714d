/*
 * xc-hv-test.c: xend's xc backend (hv_xc.c) driven through the real libxc
 * over libxc's fake transport (tests/unit/libxc/fake_transport.c), which
 * answers dom0_op hypercalls the way this file scripts them.  Guards
 * against: wrong state/memory/counter conversion, log lines split or
 * numbered wrongly (readlog numbers lines), loss not reported,
 * unsupported operations pretending to work, and device nodes
 * (hv_xc_xsnode.c) written under the wrong path or value, or a path too
 * long for the buffer written cut short.  Built as test-hv-xc only
 * when libxc is available.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fake_transport.h"
#include "hv.h"
#include "hv_xc_xsnode.h"
#include "xs.h"

#define RING_BASE	100	/* lines before this were overwritten */

static struct xen_dom0_domaininfo doms[3];
static char logtext[256];

static void
script_domains(void)
{
	memset(doms, 0, sizeof doms);
	doms[0].domid = 0;
	doms[0].flags = XEN_DOMINF_running | XEN_DOMINF_privileged;
	doms[0].tot_pages = doms[0].max_pages = 131072;	/* 512 MiB */
	doms[0].cpu_time_ns = 5000000000ULL;
	doms[0].max_vcpu_id = 1;
	doms[1].domid = 1;
	doms[1].flags = XEN_DOMINF_paused | XEN_DOMINF_blocked;
	doms[1].tot_pages = 65536;
	doms[1].max_pages = 131072;
	doms[1].cpu_time_ns = 1000000000ULL;
	doms[1].handle[0] = 0x42;
	doms[2].domid = 7;
	doms[2].flags = XEN_DOMINF_shutdown;
	doms[2].shutdown_reason = 1;	/* reboot */
	doms[2].tot_pages = doms[2].max_pages = 16384;
	doms[2].max_vcpu_id = 3;
}

/* An ELF kernel whose program header table sits at an odd offset (and
 * holds nothing loadable).  fuzz-elf once found the old reader used such a
 * table in place (undefined behaviour); the shared reader copies each
 * header out, so it reads the table and refuses for what is in it. */
static int
create_misaligned_elf(struct hv *hv)
{
	char path[] = "/tmp/xend-xc-elf.XXXXXX";
	unsigned char img[512];
	Elf64_Ehdr eh;
	struct hv_build b;
	uint32_t domid;
	int fd, rc;

	memset(img, 0, sizeof img);
	memset(&eh, 0, sizeof eh);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_ehsize = sizeof eh;
	eh.e_phoff = 65;
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 1;
	memcpy(img, &eh, sizeof eh);
	if ((fd = mkstemp(path)) == -1)
		return 0;
	rc = write(fd, img, sizeof img) == (ssize_t)sizeof img;
	close(fd);
	memset(&b, 0, sizeof b);
	b.mem_kib = b.maxmem_kib = 65536;
	b.vcpus = 1;
	b.kernel = path;
	rc = rc && hv_create(hv, &b, &domid) != 0 &&
	    strstr(hv_errmsg(hv), "no PT_LOAD segment") != NULL;
	unlink(path);
	return rc;
}

/* A save file header claiming 1.2M pages, and nothing else. */
static int
restore_huge_claim(struct hv *hv)
{
	char path[] = "/tmp/xend-xc-save.XXXXXX";
	xc_save_header_t h;
	uint8_t handle[16] = { 0 };
	uint32_t domid;
	char *blob = NULL;
	int fd, rc;

	memset(&h, 0, sizeof h);
	memcpy(h.magic, XC_SAVE_MAGIC, 8);
	h.version = XC_SAVE_VERSION;
	h.nr_vcpus = 1;
	h.nr_pages = 1245440;
	h.start_info_pfn = 1;
	if ((fd = mkstemp(path)) == -1)
		return 0;
	rc = write(fd, &h, sizeof h) == (ssize_t)sizeof h;
	close(fd);
	rc = rc && hv_restore_domain(hv, path, handle, &domid, &blob) ==
	    -EINVAL && blob == NULL &&
	    strstr(hv_errmsg(hv), "too short for its page count") != NULL;
	unlink(path);
	return rc;
}

static long
answer(struct fake *f, struct xen_dom0_op *op)
{
	size_t i, n, len;
	uint64_t start, head;

	(void)f;
	switch (op->cmd) {
	case XEN_DOM0_getdomaininfolist: {
		struct xen_dom0_domaininfo *out = (void *)(uintptr_t)
		    op->u.getdomaininfolist.buffer;
		for (i = 0, n = 0; i < 3; i++)
			if (doms[i].domid >= op->u.getdomaininfolist.first_domid
			    && n < op->u.getdomaininfolist.max_entries)
				out[n++] = doms[i];
		op->u.getdomaininfolist.nr_entries = (uint32_t)n;
		return 0;
	}
	case XEN_DOM0_getdomaininfo:
		for (i = 0; i < 3; i++)
			if (doms[i].domid == op->u.getdomaininfo.domid) {
				op->u.getdomaininfo.info = doms[i];
				return 0;
			}
		return -ESRCH;
	case XEN_DOM0_getaccounting:
		op->u.getaccounting.hypercalls = 1000u +
		    op->u.getaccounting.domid;
		op->u.getaccounting.events_sent = 200;
		op->u.getaccounting.page_faults = 30;
		return 0;
	case XEN_DOM0_physinfo:
		op->u.physinfo.nr_cpus = 4;
		op->u.physinfo.total_pages = 1048576;
		op->u.physinfo.free_pages = 262144;
		op->u.physinfo.xen_major = 4;
		op->u.physinfo.xen_minor = 17;
		return 0;
	case XEN_DOM0_readlog: {
		/* logtext holds whole lines RING_BASE, RING_BASE + 1, ... */
		const char *p = logtext, *nl;
		char *out = (char *)(uintptr_t)op->u.readlog.buffer;
		uint64_t nlines = 0;

		for (nl = logtext; (nl = strchr(nl, '\n')) != NULL; nl++)
			nlines++;
		head = RING_BASE + nlines;
		start = op->u.readlog.start_seq;
		if (start > head)
			return -EINVAL;
		op->u.readlog.lost = 0;
		if (start < RING_BASE) {
			op->u.readlog.lost = RING_BASE - start;
			start = RING_BASE;
		}
		for (i = RING_BASE; i < start; i++)
			p = strchr(p, '\n') + 1;
		for (n = 0; start < head; start++, p += len, n += len) {
			len = (size_t)(strchr(p, '\n') + 1 - p);
			if (n + len > op->u.readlog.size)
				break;
			memcpy(out + n, p, len);
		}
		op->u.readlog.nr_bytes = (uint32_t)n;
		op->u.readlog.next_seq = start;
		op->u.readlog.head_seq = head;
		return 0;
	}
	case XEN_DOM0_pausedomain:
	case XEN_DOM0_unpausedomain:
	case XEN_DOM0_destroydomain:
		return op->u.domain.domid == 99 ? -ESRCH : 0;
	case XEN_DOM0_setmaxmem:
		return 0;
	}
	return -ENOSYS;
}

struct lines {
	int n;
	uint64_t seq[8];
	char text[8][64];
};

static void
collect(void *arg, uint64_t seq, const char *line)
{
	struct lines *l = arg;

	if (l->n < 8) {
		l->seq[l->n] = seq;
		snprintf(l->text[l->n], sizeof l->text[0], "%s", line);
	}
	l->n++;
}

/* The device-node writer the disk and vif backends share, on the store
 * that xs_ring_init makes (over the fake's event channel device). */
static void
xsnode_writes(xc_interface *xch)
{
	static const char dir[] = "/local/domain/0/backend/vbd/3/51712";
	char err[128], val[64], longdir[600];

	CHECK("xsnode: no store yet: ENODEV", xsnode_put(dir, "mode", "w") ==
	    ENODEV);
	if (xs_ring_init(xch, err, sizeof err) != 0) {
		CHECK("xsnode: the store opens", 0);
		return;
	}
	CHECK("xsnode: dir/key = val", xsnode_put(dir, "mode", "w") == 0 &&
	    xs_ring_read("/local/domain/0/backend/vbd/3/51712/mode", val,
	    sizeof val) == 0 && strcmp(val, "w") == 0);
	CHECK("xsnode: a number in decimal", xsnode_put_u(dir, "frontend-id",
	    4294967295UL) == 0 && xs_ring_read("/local/domain/0/backend/vbd/"
	    "3/51712/frontend-id", val, sizeof val) == 0 &&
	    strcmp(val, "4294967295") == 0);
	memset(longdir, 'a', sizeof longdir - 1);
	longdir[0] = '/';
	longdir[sizeof longdir - 1] = '\0';
	CHECK("xsnode: a path too long is refused, not cut short",
	    xsnode_put(longdir, "state", "1") == ENAMETOOLONG);
	xs_ring_fini();
}

int
main(void)
{
	struct fake f;
	xc_interface *xch = fake_open(&f);
	struct hv *hv;
	struct hv_dominfo list[8], di;
	struct hv_physinfo pi;
	struct hv_build b;
	struct lines l;
	uint64_t next, lost;
	uint32_t domid;
	size_t n;
	char buf[16];
	size_t got;

	f.dom0_op = answer;
	script_domains();
	hv = hv_xc_wrap(xch);

	CHECK("xc: list", hv_list(hv, list, 8, &n) == 0 && n == 3);
	CHECK("xc: dom0 running", list[0].domid == 0 &&
	    list[0].state == HV_RUNNING);
	CHECK("xc: paused flag wins over blocked", list[1].state == HV_PAUSED);
	CHECK("xc: shutdown with reason", list[2].domid == 7 &&
	    list[2].state == HV_SHUTDOWN &&
	    list[2].shutdown_reason == HV_SHUTDOWN_REBOOT);
	CHECK("xc: pages become KiB", list[0].mem_kib == 512 * 1024 &&
	    list[1].mem_kib == 256 * 1024 && list[1].maxmem_kib == 512 * 1024);
	CHECK("xc: vcpus from max_vcpu_id", list[0].vcpus == 2 &&
	    list[2].vcpus == 4);
	CHECK("xc: cpu time", list[0].cpu_ns == 5000000000ULL);
	CHECK("xc: handle kept", list[1].handle[0] == 0x42);
	CHECK("xc: counters from getaccounting",
	    list[1].counters.hypercalls == 1001 &&
	    list[1].counters.events == 200 &&
	    list[1].counters.page_faults == 30);
	CHECK("xc: list with a small array still counts all",
	    hv_list(hv, list, 1, &n) == 0 && n == 3);
	CHECK("xc: info", hv_info(hv, 7, &di) == 0 && di.domid == 7 &&
	    di.state == HV_SHUTDOWN);
	CHECK("xc: info of a missing domain", hv_info(hv, 99, &di) == -ESRCH &&
	    hv_errmsg(hv)[0] != '\0');
	CHECK("xc: physinfo", hv_physinfo(hv, &pi) == 0 && pi.cpus == 4 &&
	    pi.total_kib == 4 * 1024 * 1024 && pi.free_kib == 1024 * 1024 &&
	    strcmp(pi.version, "4.17") == 0 && pi.boot_id[0] != '\0');

	snprintf(logtext, sizeof logtext, "(XEN) one\n(XEN) two\n");
	memset(&l, 0, sizeof l);
	CHECK("xc: log read", hv_log_read(hv, 0, collect, &l, &next, &lost)
	    == 0);
	CHECK("xc: overwritten lines reported as lost", lost == RING_BASE);
	CHECK("xc: every line delivered", l.n == 2);
	CHECK_STR("xc: first line text", l.text[0], "(XEN) one");
	CHECK("xc: lines numbered consecutively", l.seq[0] == RING_BASE &&
	    l.seq[1] == RING_BASE + 1);
	CHECK("xc: next is the line after the last", next == RING_BASE + 2);
	snprintf(logtext, sizeof logtext, "(XEN) one\n(XEN) two\n(XEN) three\n");
	memset(&l, 0, sizeof l);
	CHECK("xc: a new line arrives once", hv_log_read(hv,
	    next, collect, &l, &next, &lost) == 0 && l.n == 1 && lost == 0 &&
	    l.seq[0] == RING_BASE + 2 && strcmp(l.text[0], "(XEN) three") == 0);
	memset(&l, 0, sizeof l);
	CHECK("xc: caught up: nothing more", hv_log_read(hv, next, collect,
	    &l, &next, &lost) == 0 && l.n == 0);

	CHECK("xc: pause reaches the hypervisor", hv_pause(hv, 1) == 0 &&
	    f.last_op.cmd == XEN_DOM0_pausedomain &&
	    f.last_op.u.domain.domid == 1);
	CHECK("xc: unpause", hv_unpause(hv, 1) == 0 &&
	    f.last_op.cmd == XEN_DOM0_unpausedomain);
	CHECK("xc: destroy of a missing domain", hv_destroy(hv, 99) == -ESRCH);
	CHECK("xc: maxmem in pages", hv_set_maxmem(hv, 1, 1048576) == 0 &&
	    f.last_op.cmd == XEN_DOM0_setmaxmem &&
	    f.last_op.u.setmaxmem.max_pages == 262144);

	memset(&b, 0, sizeof b);
	b.mem_kib = b.maxmem_kib = 65536;
	b.vcpus = 1;
	CHECK("xc: create without a kernel refused", hv_create(hv, &b,
	    &domid) == -EINVAL && strstr(hv_errmsg(hv), "no kernel") != NULL);
	b.kernel = "/nonexistent/vmlinuz";
	CHECK("xc: create names a missing kernel file", hv_create(hv, &b,
	    &domid) == -ENOENT && strstr(hv_errmsg(hv), "/nonexistent/vmlinuz")
	    != NULL);
	CHECK("xc: shutdown refused (needs xenstore)", hv_shutdown(hv, 1,
	    HV_SHUTDOWN_POWEROFF) == -ENOTSUP &&
	    strstr(hv_errmsg(hv), "xenstore") != NULL);
	CHECK("xc: balloon target refused (needs xenstore)", hv_set_target(hv,
	    1, 1024) == -ENOTSUP);
	CHECK("xc: console of a domain without one", hv_console_read(hv, 1, 0,
	    buf, sizeof buf, &got) == -ENOENT);
	CHECK("xc: create refuses a kernel whose program headers are "
	    "misaligned, for what they hold (found by fuzz-elf)", create_misaligned_elf(hv));
	CHECK("xc: restore refuses a tiny file claiming 5 GiB of pages "
	    "before allocating them (found by fuzz-savefile)",
	    restore_huge_claim(hv));
	xsnode_writes(xch);
	hv_close(hv);
	CHECK("xc: closing releases libxc's buffers", f.live_bufs == 0);
	return check_exit();
}
