/*
 * Between the dom0_hw test kernel's files (dom0_hw.c and those of
 * dom0_hw/): bus 0's PCI configuration space, pirq helpers, the
 * hypervisor's log, QEMU's edu device, and each file's tests.
 */
#ifndef DOM0_HW_TEST_H
#define DOM0_HW_TEST_H

#include <stdint.h>
#include "public/event_channel.h"

/* dom0_hw/pci.c: configuration space through 0xcf8/0xcfc (the 16- and
 * 32-bit forms: bus 0, function 0, what the tests use). */
uint32_t pci_read(unsigned int dev, unsigned int fn, unsigned int reg);
uint16_t pci_read16(unsigned int dev, unsigned int reg);
void pci_write16(unsigned int dev, unsigned int reg, uint16_t v);
void pci_write32(unsigned int dev, unsigned int reg, uint32_t v);
uint64_t find_mem_bar(void);
int find_dev(uint16_t vendor, uint16_t device);
unsigned int find_cap(unsigned int dev, uint8_t id);
/* devfn of the highest empty slot on bus 0 (function 0), 0 if none. */
unsigned int pci_empty_devfn(void);
volatile uint32_t *map_io(uint64_t mfn);

/* dom0_hw/pirq.c */
long pirq_bind(unsigned int pirq, evtchn_port_t *port);
void pirq_unbind_unmap(evtchn_port_t port, int pirq);
int wait_pending(evtchn_port_t port);
void test_hostile_irqs(void);
void test_gsi_lifecycle(void);

/* dom0_hw/io_bitmap.c */
void test_io_bitmap(void);

/* dom0_hw/devices.c */
int log_find(const char *needle, unsigned long *num);
void test_devices(void);

/* QEMU's edu device (docs/specs/edu.txt in QEMU): its registers in BAR 0. */
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_RAISE  (0x60 / 4)   /* write: raise an interrupt */
#define EDU_ACK    (0x64 / 4)   /* write: acknowledge it */

/* dom0_hw/msi.c: the EOI map, MSI control and an MSI storm, on edu
 * (regs NULL and edu -1 when it is missing) and virtio-rng. */
void test_eoi_map(int edu, volatile uint32_t *regs);
void test_msi_filter(int edu);
void test_msix_restore(void);
void test_storm(int edu, volatile uint32_t *regs);

#endif /* DOM0_HW_TEST_H */
