/* xen-lib-tests: runs every test group of the hypervisor's C library on
 * the host.  The optional argument prefixes each case name, to tell the
 * plain and the sanitizer builds apart in the log. */
#include <stdio.h>
#include "xen_api.h"
#include "check.h"
#include "console.h"
#include "tests.h"

int main(int argc, char **argv)
{
    if ( argc > 1 )
        case_prefix = argv[1];
    /* Messages are formatted as the hypervisor formats them (%pS...). */
    printk_format = xen_vsnprintf;
    test_string();
    test_parse();
    test_vsprintf();
    test_symbols();
    test_cmdline();
    test_domid();
    return cases_failed() ? 1 : 0;
}
