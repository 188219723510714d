/*
 * vifcfg.c: one entry of an xl.cfg `vif = [ ... ]` list, the keyed form
 * xl documents, as far as xend supports it:
 *
 *   'mac=00:16:3e:01:02:03,bridge=xenbr0,ip=10.0.0.2,rate=10Mb/s'
 *   ''                             every default
 *
 * Keys: mac (unicast, not all zero; default: vifcfg_default_mac), bridge
 * (an interface name; default xenbr0), ip (IPv4 addresses separated by
 * spaces, kept for the record: nothing filters on it yet), rate
 * (RATE[@INTERVAL], RATE a number with K/M/G and b/s or B/s, INTERVAL
 * with s/ms/us, default 50ms; kept for later QoS), type=vif.  Anything
 * else, a key given twice or a malformed value is an error naming the
 * entry: a network silently missing or on the wrong bridge would surface
 * much later inside the guest.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int
vifcfg_parse_mac(const char *s, uint8_t mac[6], char *err, size_t len)
{
	unsigned v[6];
	int i, n = 0;

	if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &n) != 6 || n != 17)
		goto bad;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			goto bad;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	if (mac[0] & 1) {
		snprintf(err, len, "mac '%s' is a multicast address", s);
		return -1;
	}
	if ((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0) {
		snprintf(err, len, "mac '%s' is all zero", s);
		return -1;
	}
	return 0;
bad:
	snprintf(err, len, "mac '%s' is not six hex bytes "
	    "(aa:bb:cc:dd:ee:ff)", s);
	return -1;
}

void
vifcfg_mac_str(const uint8_t m[6], char *out, size_t len)
{
	snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
}

void
vifcfg_default_mac(const uint8_t handle[16], uint32_t devid, uint8_t mac[6])
{
	uint32_t h = 2166136261u;	/* FNV-1a: small, stable, spread */
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ handle[i]) * 16777619u;
	for (i = 0; i < 4; i++)
		h = (h ^ (uint8_t)(devid >> (8 * i))) * 16777619u;
	mac[0] = 0x00;
	mac[1] = 0x16;
	mac[2] = 0x3e;
	/* Xen's tools keep the top bit of the fourth byte clear. */
	mac[3] = (uint8_t)(h >> 16) & 0x7f;
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

static int
set_bridge(struct vifcfg *v, const char *b, char *err, size_t len)
{
	size_t i, n = strlen(b);

	if (n == 0 || n >= sizeof v->bridge || strcmp(b, ".") == 0 ||
	    strcmp(b, "..") == 0)
		goto bad;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)b[i]) && strchr("_.-", b[i]) ==
		    NULL)
			goto bad;
	snprintf(v->bridge, sizeof v->bridge, "%s", b);
	return 0;
bad:
	snprintf(err, len, "bridge '%s' is not an interface name (1-15 of "
	    "A-Z a-z 0-9 _ . -)", b);
	return -1;
}

static int
set_ip(struct vifcfg *v, const char *ip, char *err, size_t len)
{
	char buf[sizeof v->ip], *save = NULL, *a;
	struct in_addr in;

	if (strlen(ip) >= sizeof buf) {
		snprintf(err, len, "ip list longer than %zu bytes",
		    sizeof buf - 1);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", ip);
	if ((a = strtok_r(buf, " ", &save)) == NULL) {
		snprintf(err, len, "ip= is empty");
		return -1;
	}
	for (; a != NULL; a = strtok_r(NULL, " ", &save))
		if (inet_pton(AF_INET, a, &in) != 1) {
			snprintf(err, len, "ip '%s' is not an IPv4 address",
			    a);
			return -1;
		}
	snprintf(v->ip, sizeof v->ip, "%s", ip);
	return 0;
}

/* A decimal number with an optional unit from units[] (multipliers in
 * mult[]); *end is what follows it. */
static int
number_unit(const char *s, const char *const *units, const uint64_t *mult,
    uint64_t *out, const char **end)
{
	char *e;
	unsigned long long n;
	size_t i;

	if (!isdigit((unsigned char)*s))
		return -1;
	n = strtoull(s, &e, 10);
	if (n == 0 || n > UINT64_C(1) << 40)
		return -1;
	for (i = 0; units[i] != NULL; i++)
		if (strncmp(e, units[i], strlen(units[i])) == 0) {
			*out = n * mult[i];
			*end = e + strlen(units[i]);
			return 0;
		}
	return -1;
}

static int
set_rate(struct vifcfg *v, const char *r, char *err, size_t len)
{
	/* Longest first: "Mb/s" before "b/s". */
	static const char *const ru[] = { "GB/s", "MB/s", "KB/s", "Gb/s",
	    "Mb/s", "Kb/s", "B/s", "b/s", NULL };
	static const uint64_t rm[] = { UINT64_C(1) << 30, 1 << 20, 1 << 10,
	    (UINT64_C(1) << 30) / 8, (1 << 20) / 8, (1 << 10) / 8, 1, 0 };
	static const char *const iu[] = { "us", "ms", "s", NULL };
	static const uint64_t im[] = { 1, 1000, 1000000 };
	uint64_t bps, usec = 50000;
	const char *e;

	if (strlen(r) >= sizeof v->rate ||
	    number_unit(r, ru, rm, &bps, &e) != 0 || bps == 0 ||
	    (*e != '\0' && (*e != '@' ||
	    number_unit(e + 1, iu, im, &usec, &e) != 0 || *e != '\0')) ||
	    usec > 10000000) {
		snprintf(err, len, "rate '%s' is not RATE[@INTERVAL] (e.g. "
		    "10Mb/s, 1MB/s@20ms; interval at most 10s)", r);
		return -1;
	}
	snprintf(v->rate, sizeof v->rate, "%s", r);
	v->rate_usec = usec;
	v->rate_bytes = bps * usec / 1000000;
	if (v->rate_bytes == 0)
		v->rate_bytes = 1;
	return 0;
}

int
vifcfg_parse(const char *spec, struct vifcfg *v, char *err, size_t len)
{
	static const char *const keys[] = { "mac", "bridge", "ip", "rate",
	    "type" };
	char buf[VIFCFG_SPEC_MAX], *f, *next, *eq;
	unsigned seen = 0;
	size_t k;
	int e;

	memset(v, 0, sizeof *v);
	snprintf(v->bridge, sizeof v->bridge, "%s", VIFCFG_BRIDGE_DEFAULT);
	if (strlen(spec) >= sizeof buf) {
		snprintf(err, len, "vif entry longer than %d bytes",
		    VIFCFG_SPEC_MAX - 1);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", spec);
	if (buf[0] == '\0')
		return 0;
	for (f = buf; f != NULL; f = next) {
		if ((next = strchr(f, ',')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(f, '=')) == NULL) {
			snprintf(err, len, "vif entry '%s': '%s' is not "
			    "KEY=VALUE", spec, f);
			return -1;
		}
		*eq++ = '\0';
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (strcmp(f, keys[k]) == 0)
				break;
		if (k == sizeof keys / sizeof keys[0]) {
			snprintf(err, len, "vif entry '%s': unknown key '%s'",
			    spec, f);
			return -1;
		}
		if (seen & 1u << k) {
			snprintf(err, len, "vif entry '%s': %s= given twice",
			    spec, f);
			return -1;
		}
		seen |= 1u << k;
		switch (k) {
		case 0:
			e = vifcfg_parse_mac(eq, v->mac, err, len);
			v->mac_set = 1;
			break;
		case 1:
			e = set_bridge(v, eq, err, len);
			break;
		case 2:
			e = set_ip(v, eq, err, len);
			break;
		case 3:
			e = set_rate(v, eq, err, len);
			break;
		default:
			e = 0;
			if (strcmp(eq, "vif") != 0) {
				snprintf(err, len, "type '%s': only vif (a PV "
				    "network) is supported", eq);
				e = -1;
			}
		}
		if (e != 0)
			return -1;
	}
	return 0;
}
