# Included by the Makefile of a directory whose one dom0 test script has
# the directory's name (tests/xend-dom0, tests/linux-domu): `make`
# installs it as $(BUILD)/dom0-root/tests/NAME, where linux-xen's
# initramfs build picks it up and /init runs it for dom0_test=NAME;
# `make clean` removes it.  Set SCRIPT := NAME before the include.

BUILD ?= $(abspath $(CURDIR)/../../build)
ROOT  := $(BUILD)/dom0-root

.PHONY: all clean
all: $(ROOT)/tests/$(SCRIPT)

$(ROOT)/tests/$(SCRIPT): $(SCRIPT)
	@mkdir -p $(@D)
	install -m 755 $< $@

clean:
	rm -f $(ROOT)/tests/$(SCRIPT)
