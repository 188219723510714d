# Included by the Makefile of a directory of dom0 test scripts
# (tests/xend-dom0, tests/linux-domu): `make` installs each as
# $(BUILD)/dom0-root/tests/NAME, where linux-xen's initramfs build picks
# it up and /init runs it for dom0_test=NAME; `make clean` removes them.
# Set SCRIPTS := NAME... before the include.

BUILD ?= $(abspath $(CURDIR)/../../build)
ROOT  := $(BUILD)/dom0-root

.PHONY: all clean
all: $(SCRIPTS:%=$(ROOT)/tests/%)

$(ROOT)/tests/%: %
	@mkdir -p $(@D)
	install -m 755 $< $@

clean:
	rm -f $(SCRIPTS:%=$(ROOT)/tests/%)
