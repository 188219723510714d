/*
 * hv_xc_vif_fw.c: dom0's packet filters for guest networks, with
 * nftables (Debian's nft, in dom0's initramfs; docs/devices.md).
 *
 * Anti-spoofing: a vif with `ip=` gets, once netback has made vifD.N and
 * before netback tells the guest Connected, a base chain in the bridge
 * family (table xend_vif_D, chain vN, hook prerouting: every frame that
 * comes in on the port, whether bridged to another port or delivered to
 * dom0) dropping IPv4 whose source is not listed, ARP whose sender
 * address is not listed, and all IPv6 (no IPv6 address can be listed).
 * If the rules cannot be installed the vif's hotplug fails, so netback
 * never connects it: a guest never sends unfiltered when its config
 * says it must be filtered.  The chain goes when the vif is detached,
 * the table when the domain is destroyed (and before a new domain's
 * first vifs, so nothing of an earlier domain with the same id stays).
 *
 * NAT: with `nat = auto` (xend.conf, the default) and an uplink (the
 * interface of dom0's IPv4 default route, not a bridge of ours), xend
 * turns on IPv4 forwarding and masquerades what leaves the uplink
 * coming from the default bridge (table ip xend_nat).  `nat = off`
 * leaves both alone.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "hv_xc_vif.h"
#include "log.h"

/* Debian's nft; dom0 carries it under /usr/local/sbin (linux-xen). */
static const char *const nft_paths[] = {
	"/usr/local/sbin/nft", "/usr/sbin/nft", "/sbin/nft", NULL,
};

static const char *
nft_path(void)
{
	size_t i;

	for (i = 0; nft_paths[i] != NULL; i++)
		if (access(nft_paths[i], X_OK) == 0)
			return nft_paths[i];
	return NULL;
}

/*
 * Run `nft -f -` with script on its stdin; 0, or -1 with err (its
 * first line of complaint).  Synchronous: nft takes milliseconds, and
 * only a vif's hotplug, detach or its domain's end come here.
 */
static int
nft_run(const char *script, int quiet, char *err, size_t len)
{
	const char *nft = nft_path();
	int in[2], out[2], st;
	char buf[512];
	ssize_t n, got = 0;
	pid_t pid;

	if (nft == NULL) {
		snprintf(err, len, "no nft program (Debian's nftables) in "
		    "dom0");
		return -1;
	}
	if (pipe2(in, O_CLOEXEC) != 0)
		goto fail;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		goto fail;
	}
	if ((pid = fork()) < 0) {
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		goto fail;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		execl(nft, "nft", "-f", "-", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	/* A script is a few hundred bytes: it fits the pipe at once. */
	if (write(in[1], script, strlen(script)) < 0)
		log_warnx("nft: writing its script: %s", strerror(errno));
	close(in[1]);
	while ((n = read(out[0], buf + got, sizeof buf - 1 - (size_t)got))
	    > 0 && got + n < (ssize_t)sizeof buf - 1)
		got += n;
	if (n > 0)
		got += n;
	buf[got] = '\0';
	close(out[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(err, len, "nft: %s", buf[0] ? buf : "failed");
	if (!quiet)
		log_warnx("%s", err);
	return -1;
fail:
	snprintf(err, len, "running nft: %s", strerror(errno));
	return -1;
}

int
vif_fw_apply(uint32_t domid, uint32_t devid, const char *ips, char *err,
    size_t len)
{
	char script[2048], set[600], ip[64];
	const char *p = ips;
	size_t n = 0, k;

	/* "10.0.0.2 10.0.0.3" (checked by vifcfg.c: dotted quads and
	 * spaces only) -> "10.0.0.2, 10.0.0.3". */
	set[0] = '\0';
	while (*p != '\0') {
		p += strspn(p, " ");
		k = strcspn(p, " ");
		if (k == 0)
			break;
		if (k >= sizeof ip || strspn(p, "0123456789.") < k) {
			snprintf(err, len, "ip \"%s\" is not a list of IPv4 "
			    "addresses", ips);
			return -1;
		}
		memcpy(ip, p, k);
		ip[k] = '\0';
		n += (size_t)snprintf(set + n, n < sizeof set ? sizeof set - n :
		    0, "%s%s", n ? ", " : "", ip);
		p += k;
	}
	if (set[0] == '\0' || n >= sizeof set) {
		snprintf(err, len, "ip \"%s\": no addresses, or too many", ips);
		return -1;
	}
	snprintf(script, sizeof script,
	    "add table bridge xend_vif_%u\n"
	    "add chain bridge xend_vif_%u v%u { type filter hook prerouting "
	    "priority -200; policy accept; }\n"
	    "flush chain bridge xend_vif_%u v%u\n"
	    "add rule bridge xend_vif_%u v%u iifname \"vif%u.%u\" "
	    "ether type ip ip saddr != { %s } drop\n"
	    "add rule bridge xend_vif_%u v%u iifname \"vif%u.%u\" "
	    "ether type arp arp saddr ip != { %s } drop\n"
	    "add rule bridge xend_vif_%u v%u iifname \"vif%u.%u\" "
	    "ether type ip6 drop\n",
	    domid, domid, devid, domid, devid,
	    domid, devid, domid, devid, set,
	    domid, devid, domid, devid, set,
	    domid, devid, domid, devid);
	if (nft_run(script, 0, err, len) != 0)
		return -1;
	log_info("domain %u: vif%u.%u may send from %s only", domid, domid,
	    devid, set);
	return 0;
}

void
vif_fw_remove(uint32_t domid, uint32_t devid)
{
	char script[256], err[200];

	/* Added first, so the delete never fails on a vif without one;
	 * emptied first, as older kernels refuse to delete a chain with
	 * rules. */
	snprintf(script, sizeof script,
	    "add table bridge xend_vif_%u\n"
	    "add chain bridge xend_vif_%u v%u\n"
	    "flush chain bridge xend_vif_%u v%u\n"
	    "delete chain bridge xend_vif_%u v%u\n",
	    domid, domid, devid, domid, devid, domid, devid);
	if (nft_path() != NULL)
		(void)nft_run(script, 0, err, sizeof err);
}

void
vif_fw_forget(uint32_t domid)
{
	char script[160], err[200];

	snprintf(script, sizeof script, "add table bridge xend_vif_%u\n"
	    "delete table bridge xend_vif_%u\n", domid, domid);
	if (nft_path() != NULL)
		(void)nft_run(script, 0, err, sizeof err);
}

/* The interface of dom0's IPv4 default route, or -1. */
static int
default_route_if(char *ifname, size_t len)
{
	char line[256], name[64];
	unsigned long dest, mask;
	FILE *f;
	int rc = -1;

	if ((f = fopen("/proc/net/route", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "%63s %lx %*x %*x %*d %*d %*d %lx", name,
		    &dest, &mask) == 3 && dest == 0 && mask == 0 &&
		    strlen(name) < len) {
			snprintf(ifname, len, "%s", name);
			rc = 0;
			break;
		}
	fclose(f);
	return rc;
}

void
vif_nat_setup(const char *mode, const char *bridge)
{
	char up[64], script[512], err[200];
	int fd;

	if (mode != NULL && strcmp(mode, "off") == 0) {
		log_info("network: nat = off: no NAT (IPv4 forwarding and "
		    "rules left as they are)");
		return;
	}
	if (default_route_if(up, sizeof up) != 0 || strcmp(up, bridge) == 0) {
		log_info("network: no uplink (no IPv4 default route off %s): "
		    "no NAT", bridge);
		return;
	}
	if ((fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY |
	    O_CLOEXEC)) < 0 || write(fd, "1\n", 2) != 2) {
		log_warnx("network: cannot turn on IPv4 forwarding: %s; no "
		    "NAT", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	snprintf(script, sizeof script,
	    "add table ip xend_nat\n"
	    "flush table ip xend_nat\n"
	    "add chain ip xend_nat post { type nat hook postrouting "
	    "priority 100; policy accept; }\n"
	    "add rule ip xend_nat post iifname \"%s\" oifname \"%s\" "
	    "masquerade\n", bridge, up);
	if (nft_run(script, 0, err, sizeof err) != 0)
		log_warnx("network: NAT from %s to %s not set up: %s", bridge,
		    up, err);
	else
		log_info("network: NAT from %s to the uplink %s", bridge, up);
}
