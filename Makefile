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
# dom0's state disk (docs/dom0-disk.md): a sparse raw image made on the
# first `make run` and kept (xend's database, saves, domU images);
# `make distclean` or deleting the file resets it.  RUN_DISK= (empty)
# runs without one.  RUN_FWD_PORT on the host's 127.0.0.1 is forwarded to
# dom0's port RUN_FWD_GUEST_PORT over QEMU's user network.  RUN_DEV_IRQ:
# the devices interrupt by msix (the default) or legacy intx.
RUN_DISK      ?= $(BUILD)/dom0-disk.img
RUN_DISK_SIZE ?= 8G
RUN_FWD_PORT  ?= 18080
RUN_FWD_GUEST_PORT ?= 8080
RUN_DEV_IRQ   ?= msix
export RUN_MEM RUN_SMP RUN_TIMEOUT RUN_DISK RUN_DISK_SIZE RUN_FWD_PORT RUN_FWD_GUEST_PORT RUN_DEV_IRQ

.PHONY: all deps xen tools guests iso run test test-slow bench fuzz clean distclean man deb image

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

# DOM0=initramfs (the default): the ISO with the busybox dom0, quick to
# build and boot.  DOM0=disk: the Debian disk image of `make image`, booted
# through its own GRUB (docs/packaging.md, "The disk image").
DOM0 ?= initramfs
ifeq ($(DOM0),disk)
run: image
	@sh scripts/run-qemu.sh --disk $(IMAGE)
else ifeq ($(DOM0),initramfs)
run: all
	@sh scripts/run-qemu.sh $(BUILD)/xen.iso
else
run:
	@echo "make run: DOM0 must be initramfs (the default) or disk, not '$(DOM0)'" >&2; exit 2
endif

# A bootable Debian 12 disk image with our packages installed by apt
# (mmdebstrap, needs root and a Debian mirror; cached, scripts/mkimage.sh).
# IMAGE_SIZE: its (sparse) size.
IMAGE      ?= $(BUILD)/debian-dom0.img
IMAGE_SIZE ?= 6G
export IMAGE_SIZE
image: deb
	@sh scripts/mkimage.sh $(BUILD)/deb $(IMAGE)

test: all
	@bash tests/run.sh

# Suites too long for `make test` (tests/suites-slow/): the disk image
# booted as a user boots it.
test-slow: all
	@SUITE_DIR=tests/suites-slow SUITE_TIMEOUT=$${SUITE_TIMEOUT:-5400} bash tests/run.sh

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
