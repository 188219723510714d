/*
 * xcprobe.c: a program built against the installed libminixenctrl-dev
 * (suite 90-package).  Run in the Debian root it needs the loader to find
 * libminixenctrl.so.1 through ldconfig's cache; outside dom0 opening the
 * interface fails, and the library says why.
 */
#include <stdio.h>
#include <xenctrl.h>

int
main(void)
{
	xc_interface *xch = xc_interface_open();

	if (xch != NULL) {
		printf("xcprobe: interface open\n");
		xc_interface_close(xch);
		return 0;
	}
	printf("xcprobe: libminixenctrl answered: %s\n", xc_open_error());
	return 0;
}
