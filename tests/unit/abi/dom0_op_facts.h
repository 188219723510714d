/*
 * dom0_op_facts.h - the dom0_op layout as docs/dom0_op.md documents it
 * (sections 3 and 4), for abi_layout.c: the same ABI_SIZE/ABI_FIELD lines
 * as abi_facts.h, but the source is our own document, not Linux.  What the
 * hypervisor implementer and libxc read must be what the header declares;
 * a change here goes with a change of the document and of
 * XEN_DOM0_OP_INTERFACE_VERSION.
 */

ABI_SIZE(struct xen_dom0_op, 136)
ABI_FIELD(struct xen_dom0_op, cmd, 0, 4)
ABI_FIELD(struct xen_dom0_op, interface_version, 4, 4)
ABI_FIELD(struct xen_dom0_op, u, 8, 128)

ABI_SIZE(struct xen_dom0_createdomain, 40)
ABI_FIELD(struct xen_dom0_createdomain, domid, 0, 2)
ABI_FIELD(struct xen_dom0_createdomain, flags, 4, 4)
ABI_FIELD(struct xen_dom0_createdomain, max_pages, 8, 8)
ABI_FIELD(struct xen_dom0_createdomain, max_vcpus, 16, 4)
ABI_FIELD(struct xen_dom0_createdomain, handle, 24, 16)

ABI_SIZE(struct xen_dom0_domaininfo, 72)
ABI_FIELD(struct xen_dom0_domaininfo, domid, 0, 2)
ABI_FIELD(struct xen_dom0_domaininfo, flags, 4, 4)
ABI_FIELD(struct xen_dom0_domaininfo, tot_pages, 8, 8)
ABI_FIELD(struct xen_dom0_domaininfo, max_pages, 16, 8)
ABI_FIELD(struct xen_dom0_domaininfo, shared_info_frame, 24, 8)
ABI_FIELD(struct xen_dom0_domaininfo, cpu_time_ns, 32, 8)
ABI_FIELD(struct xen_dom0_domaininfo, nr_online_vcpus, 40, 4)
ABI_FIELD(struct xen_dom0_domaininfo, max_vcpu_id, 44, 4)
ABI_FIELD(struct xen_dom0_domaininfo, handle, 48, 16)
ABI_FIELD(struct xen_dom0_domaininfo, shutdown_reason, 64, 4)
ABI_FIELD(struct xen_dom0_domaininfo, pad1, 68, 4)

ABI_SIZE(struct xen_dom0_getdomaininfolist, 24)
ABI_SIZE(struct xen_dom0_vcpucontext, 24)
ABI_SIZE(struct xen_dom0_vcpuinfo, 24)
ABI_SIZE(struct xen_dom0_schedparams, 16)
ABI_SIZE(struct xen_dom0_getaccounting, 88)

ABI_SIZE(struct xen_dom0_readlog, 56)
ABI_FIELD(struct xen_dom0_readlog, start_seq, 0, 8)
ABI_FIELD(struct xen_dom0_readlog, buffer, 8, 8)
ABI_FIELD(struct xen_dom0_readlog, size, 16, 4)
ABI_FIELD(struct xen_dom0_readlog, flags, 20, 4)
ABI_FIELD(struct xen_dom0_readlog, nr_bytes, 24, 4)
ABI_FIELD(struct xen_dom0_readlog, next_seq, 32, 8)
ABI_FIELD(struct xen_dom0_readlog, lost, 40, 8)
ABI_FIELD(struct xen_dom0_readlog, head_seq, 48, 8)

ABI_SIZE(struct xen_dom0_getframeinfo, 24)
ABI_SIZE(struct xen_dom0_getperfcounters, 32)
ABI_SIZE(struct xen_dom0_perfc_value, 16)
ABI_SIZE(struct xen_dom0_physinfo, 48)

ABI_SIZE(struct xen_dom0_copyframes, 40)
ABI_FIELD(struct xen_dom0_copyframes, domid, 0, 2)
ABI_FIELD(struct xen_dom0_copyframes, flags, 4, 4)
ABI_FIELD(struct xen_dom0_copyframes, nr_frames, 8, 4)
ABI_FIELD(struct xen_dom0_copyframes, nr_zero, 12, 4)
ABI_FIELD(struct xen_dom0_copyframes, mfns, 16, 8)
ABI_FIELD(struct xen_dom0_copyframes, buffer, 24, 8)
ABI_FIELD(struct xen_dom0_copyframes, zero_map, 32, 8)
