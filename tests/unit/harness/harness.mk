# Included by the unit-test Makefiles (tests/unit/*/Makefile) for the
# shared harness: ROOT, BUILD (default build/), XEN, sources, include paths
# and the sanitizer flags.
#
#   core (plain C, any host program):  HARNESS_CORE_SRCS, HARNESS_CFLAGS
#   hypervisor shims (printk, panic, asm/ stand-ins, the host machine):
#     HARNESS_SHIM_SRCS, HARNESS_SHIM_CFLAGS (put before the hypervisor's
#     include paths, so that its asm/ headers lose to ours),
#     HARNESS_XMALLOC_SRCS (xmalloc on malloc),
#     HARNESS_DOMAIN_SRCS (domain_get/put, domain_lookup_for)
#   HARNESS_HEADERS: for dependencies

HARNESS_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
ROOT        := $(abspath $(HARNESS_DIR)/../../..)
BUILD       ?= $(ROOT)/build
XEN         := $(ROOT)/xen

HARNESS_CORE_SRCS    := $(HARNESS_DIR)/check.c $(HARNESS_DIR)/runner.c \
                        $(HARNESS_DIR)/rng.c
HARNESS_CFLAGS       := -I$(HARNESS_DIR)
HARNESS_SHIM_SRCS    := $(HARNESS_DIR)/shim/console.c $(HARNESS_DIR)/shim/machine.c
HARNESS_SHIM_CFLAGS  := -I$(HARNESS_DIR)/shim -I$(HARNESS_DIR)/shim/include
HARNESS_XMALLOC_SRCS := $(HARNESS_DIR)/shim/xmalloc.c
# Domain references for harnesses that keep their own domain table (and
# define domain_lookup): the harness's get/put and the hypervisor's own
# domain_lookup_for.
HARNESS_DOMAIN_SRCS  := $(HARNESS_DIR)/shim/domain-ref.c \
                        $(XEN)/common/domain_lookup.c
HARNESS_HEADERS      := $(wildcard $(HARNESS_DIR)/*.h $(HARNESS_DIR)/shim/*.h \
                          $(HARNESS_DIR)/shim/include/asm/*.h)

# Every sanitizer error aborts the program (the suite sees a FAIL).
SAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer

# One test program of a hypervisor-source harness, named for its PASS
# lines (-DSUITE_NAME): $(eval $(call unit_program,NAME,FLAGS)) links
# $(OUT)/NAME from $(TEST_SRCS) $(XEN_SRCS) with $(HOST_CFLAGS) FLAGS.
define unit_program
$(OUT)/$(1): $$(TEST_SRCS) $$(XEN_SRCS) $$(HEADERS) Makefile
	@mkdir -p $$(@D)
	$$(CC) $$(HOST_CFLAGS) $(2) -DSUITE_NAME='"$(patsubst %-tests,%,$(subst -tests-,-,$(1)))"' \
	    -o $$@ $$(TEST_SRCS) $$(XEN_SRCS)
endef

# The usual pair, NAME-tests (-O2) and NAME-tests-asan (ASan+UBSan), with
# `all`, `run` (both) and `clean`: $(eval $(call unit_pair,NAME)).
define unit_pair
.PHONY: all run clean
all: $(OUT)/$(1)-tests $(OUT)/$(1)-tests-asan
$(call unit_program,$(1)-tests,-O2)
$(call unit_program,$(1)-tests-asan,-O1 $(SAN_FLAGS))
run: all
	@rc=0; $(OUT)/$(1)-tests || rc=1; $(OUT)/$(1)-tests-asan || rc=1; exit $$$$rc
clean:
	rm -rf $(OUT)
endef
