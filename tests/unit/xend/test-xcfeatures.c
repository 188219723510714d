/*
 * test-xcfeatures.c: the guest's control/feature-* nodes carried in a
 * save file's blob (hv_xc_features.c).  Guards against: xend's own blob
 * altered on the way through (restore would then misread the domain's
 * name, memory or config), a file without the line misread, and a
 * damaged or hostile line making xend write nodes it should not (unknown
 * names, paths, long or odd values, no end of line).  Needs the xc
 * backend's objects (built only with libxc): otherwise it skips.
 */
#include <stdlib.h>

#include "check.h"

#ifdef HAVE_XC
#include "hv_xc_features.h"

static char text[XCF_TEXT_MAX];

/* Unwrap a copy of blob; the rest of it afterwards, in out. */
static const char *
unwrap(const char *blob, char *out, size_t len)
{
	snprintf(out, len, "%s", blob);
	xcf_unwrap_blob(out, text, sizeof text);
	return out;
}

int
main(void)
{
	static const char xend_blob[] = "web\n262144\n/etc/xen/web.cfg\n"
	    "name = \"web\"\n";
	char buf[1024], *w;

	w = xcf_wrap_blob(7, xend_blob);
	CHECK_STR("xcf: nothing noted: the blob unchanged", w, xend_blob);
	free(w);
	CHECK_STR("xcf: a blob without the line is left alone",
	    unwrap(xend_blob, buf, sizeof buf), xend_blob);
	CHECK_STR("xcf: ... and carries no features", text, "");
	CHECK_STR("xcf: the line comes off, xend's blob intact",
	    unwrap("\001xc-features feature-poweroff=1,feature-reboot=1\n"
	    "web\n262144\n", buf, sizeof buf), "web\n262144\n");
	CHECK_STR("xcf: ... and its features are read",
	    text, "feature-poweroff=1,feature-reboot=1");
	unwrap("\001xc-features feature-poweroff=1,../../evil=1,"
	    "feature-x=1,feature-suspend=1\nb", buf, sizeof buf);
	CHECK_STR("xcf: unknown names and paths dropped", text,
	    "feature-poweroff=1,feature-suspend=1");
	unwrap("\001xc-features feature-sysrq=123456789,feature-reboot=A,"
	    "feature-s3=,feature-s4\nb", buf, sizeof buf);
	CHECK_STR("xcf: long, upper-case, empty and missing values dropped",
	    text, "");
	CHECK_STR("xcf: a line with no end leaves no blob",
	    unwrap("\001xc-features feature-poweroff=1", buf, sizeof buf), "");
	CHECK_STR("xcf: ... and no features", text, "");
	memset(buf, 'a', sizeof buf);
	memcpy(buf, "\001xc-features ", 13);
	buf[600] = '\n';
	buf[sizeof buf - 1] = '\0';
	xcf_unwrap_blob(buf, text, sizeof text);
	CHECK("xcf: an over-long line is dropped whole, the rest kept",
	    text[0] == '\0' && buf[0] == 'a' && strlen(buf) ==
	    sizeof buf - 1 - 601);
	return check_exit();
}
#else
int
main(void)
{
	case_skip("xcf: feature carry", "xend built without libxc (XC=0)");
	return 0;
}
#endif
