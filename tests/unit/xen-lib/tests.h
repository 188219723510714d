/* The test groups of the xen-lib-tests binary, one per library file. */
#ifndef XEN_LIB_TESTS_H
#define XEN_LIB_TESTS_H

void test_string(void);
void test_parse(void);
void test_vsprintf(void);
void test_symbols(void);
void test_cmdline(void);
void test_domid(void);

#endif
