# Top-level build.  `make` builds everything into build/; `make run` boots it
# in QEMU; `make test` runs every suite in tests/suites/ (see tests/run.sh).
#
# Each component directory owns a Makefile with `all` and `clean` targets that
# writes only below $(BUILD).  Components join the build by existing: the
# wildcards below pick up libxc/, xend/ and linux-xen/ when their Makefile is
# there, so nobody needs to edit this file to add one.

BUILD   := $(CURDIR)/build
export BUILD

TOOL_DIRS  := $(patsubst %/Makefile,%,$(wildcard libxc/Makefile xend/Makefile tests/dom0/Makefile tests/xend-dom0/Makefile tests/domu/Makefile))
GUEST_DIRS := $(patsubst %/Makefile,%,$(wildcard linux-xen/Makefile))

QEMU        ?= qemu-system-x86_64
RUN_MEM     ?= 2G
RUN_SMP     ?= 2
RUN_TIMEOUT ?= 0
# dom0's memory in the ISO `make run` boots: most of RUN_MEM is left for
# guests (/etc/xen/debian.cfg wants 256 MiB).  An XEN_CMDLINE in the
# environment replaces the whole hypervisor command line; DOM0_FORMAT=elf-gz
# (or elf) boots the extracted ELF instead of Debian's bzImage.
RUN_DOM0_MEM ?= 512M

.PHONY: all deps xen tools guests iso run test bench fuzz clean distclean man deb

all: deps xen tools guests iso

deps:
	@sh scripts/deps.sh

xen: deps
	$(MAKE) -C xen

tools: deps
	@set -e; for d in $(TOOL_DIRS); do $(MAKE) -C $$d all; done

guests: deps xen
	@set -e; for d in $(GUEST_DIRS); do $(MAKE) -C $$d all; done

# The boot image: everything in build/boot/ plus a generated grub.cfg.
iso: xen guests
	@XEN_CMDLINE="$${XEN_CMDLINE:-console=com1 debug_exit dom0_mem=$(RUN_DOM0_MEM)}" \
	    sh scripts/mkiso.sh $(BUILD)/boot $(BUILD)/xen.iso

run: all
	@sh scripts/run-qemu.sh $(BUILD)/xen.iso

test: all
	@bash tests/run.sh

bench: all
	@bash tests/bench/run.sh

# Manual pages (man/, scdoc) into build/man/.
man: deps
	$(MAKE) -C man

# Debian packages into build/deb/ (dpkg-buildpackage, then lintian):
# docs/packaging.md.
deb: deps
	@sh scripts/mkdeb.sh $(BUILD)/deb

# Every fuzzer, each bounded (tests/fuzz/run.sh): the hypercall fuzzer as
# dom0, tests/fuzz/*, and the `fuzz` target of components that have one.
fuzz: deps
	@bash tests/fuzz/run.sh

clean:
	@for d in xen man $(TOOL_DIRS) $(GUEST_DIRS); do $(MAKE) -C $$d clean; done
	rm -rf $(BUILD)/xen $(BUILD)/tests $(BUILD)/xen.iso $(BUILD)/deb

# Also drops the downloaded kernel cache.
distclean:
	rm -rf $(BUILD)
