/*
 * ctl-cmd.c: xenctl's command table.  Each entry is the command's name,
 * handler, argument synopsis, one-line summary and full help text; the
 * help command and every "CMD --help" print from here, so the table is
 * the one place a command is described.  Commands may be abbreviated to
 * any unique prefix.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "xmalloc.h"

const struct ctl_cmd ctl_cmds[] = {
	{ "list", ctl_list_run, CTL_JSON, "[--json]",
	  "list domains",
	  "List every domain xend knows: name, domain id, memory (MiB), vCPUs\n"
	  "online now (as xl list; `info` shows maxvcpus, the vCPUs it was\n"
	  "built with), state (running, paused, shutdown, dying) and CPU time\n"
	  "used (seconds).\n"
	  "With --json, print xend's reply object instead of a table.\n" },
	{ "info", ctl_info_run, CTL_JSON, "[--json] [DOMAIN]",
	  "show host information, or one domain in detail",
	  "Without DOMAIN: the hypervisor backend and version, CPUs, total and\n"
	  "free memory, xend's uptime, database and sample interval.\n"
	  "With DOMAIN (a name or a domain id): everything about that domain,\n"
	  "including its on_poweroff/on_reboot/on_crash actions and the config\n"
	  "it was created from.\n" },
	{ "create", ctl_create_run, CTL_JSON, "[--json] [-c] CONFIG-FILE",
	  "create a domain from an xl-style config file",
	  "Read CONFIG-FILE (xl.cfg syntax: name, kernel, ramdisk, cmdline or\n"
	  "root/extra, memory, maxmem, vcpus, maxvcpus, on_poweroff, on_reboot,\n"
	  "on_crash, cpu_weight, cap, cpus, disk, vif),\n"
	  "check it here, then ask xend to create the domain.  Errors are shown\n"
	  "as FILE:LINE:COLUMN before anything is sent; unknown keys give a\n"
	  "warning and are ignored.  Exit status 5 means the file is invalid,\n"
	  "2 that it cannot be read (\"cannot read FILE: why\").\n"
	  "On a terminal a progress bar is shown while xend builds the domain;\n"
	  "--json prints each progress item and the result as JSON lines.\n"
	  "With -c, attach to the new domain's console as `xenctl console`\n"
	  "does (Ctrl-] detaches).\n"
	  "In dom0, /etc/xen/debian.cfg is a ready Linux guest and\n"
	  "/etc/xen/domu-example.cfg describes every key (etc/ in the source).\n" },
	{ "destroy", ctl_destroy_run, 0, "DOMAIN",
	  "destroy a domain immediately",
	  "Stop DOMAIN at once and release its memory, without asking the guest.\n"
	  "Its record and accounting history stay in xend's database.\n"
	  "Domain-0 cannot be destroyed.\n" },
	{ "pause", ctl_pause_run, 0, "DOMAIN",
	  "stop scheduling a domain",
	  "Pause DOMAIN: its vCPUs stop running (CPU time stops growing) but it\n"
	  "keeps its memory.  Resume it with `xenctl unpause`.\n" },
	{ "unpause", ctl_unpause_run, 0, "DOMAIN",
	  "resume a paused domain",
	  "Let a paused DOMAIN run again.\n" },
	{ "shutdown", ctl_shutdown_run, 0, "[-r] [-w | --wait DURATION] DOMAIN",
	  "ask a domain to shut down (or, with -r, reboot)",
	  "Ask DOMAIN's guest to power off, or with -r to reboot.  When it has\n"
	  "stopped, xend applies the config's on_poweroff (default destroy) or\n"
	  "on_reboot (default restart) action.  Returns at once unless -w\n"
	  "(wait up to 60 s) or --wait DURATION (\"2m\") says to wait until\n"
	  "the domain has stopped (a reboot's restart is a new domain id);\n"
	  "exit 1 if it has not by then (`xenctl destroy` stops it at once).\n" },
	{ "console", ctl_console_run, 0, "[--log | --no-history] DOMAIN",
	  "attach to a domain's console (Ctrl-] detaches)",
	  "Attach to DOMAIN's console: everything it printed so far is shown\n"
	  "first (--no-history skips that), then its output as it comes, and\n"
	  "what you type goes to the guest (the terminal is in raw mode, so\n"
	  "Ctrl-C goes to the guest too).  Ctrl-] detaches; the domain runs on.\n"
	  "--log prints the whole console log and exits.\n"
	  "xend keeps each domU's console in LOG_DIR/console/NAME.log\n"
	  "(/var/log/xend/console/NAME.log by default); at 1 MiB it becomes\n"
	  "NAME.log.1 and a new one starts, so the last 1 to 2 MiB are kept.\n"
	  "The log starts afresh when xend first sees the domain.  Domain-0 has\n"
	  "no console here: its output is on the terminal it runs on.\n" },
	{ "save", ctl_save_run, CTL_JSON, "[--json] [--checkpoint] [--compress none|lz4|zstd] DOMAIN FILE",
	  "save a domain's state to a file",
	  "Write DOMAIN's memory and state to FILE, then destroy it (with\n"
	  "--checkpoint it runs on).  A guest that advertises suspend support\n"
	  "is asked to suspend itself first (xenstore control/shutdown); others\n"
	  "are paused.  The result says which was done, seconds and bytes.\n"
	  "All-zero pages are left out; --compress picks how the rest is\n"
	  "stored (default: save_compress in xend.conf, \"none\").\n"
	  "On a terminal a progress bar is shown; --json prints each progress\n"
	  "item and the result as JSON lines instead.\n" },
	{ "restore", ctl_restore_run, CTL_JSON, "[--json] FILE",
	  "restore a domain saved with `save`",
	  "Create a domain from a FILE written by `xenctl save`, with the name\n"
	  "and config it was saved with.  Progress as for save.\n" },
	{ "mem-set", ctl_mem_set_run, 0, "DOMAIN SIZE [--force] "
	  "[--deadline DURATION [--on-miss log|pause|save|destroy]]",
	  "set a domain's memory (balloon target)",
	  "Set DOMAIN's memory to SIZE: a whole number with a unit K, M, G or T\n"
	  "(binary: 1G = 1024M); a bare number means MiB.  \"1.5G\", \"-1G\" and\n"
	  "\"12x\" are refused.  SIZE may not exceed the domain's maxmem, and\n"
	  "growing needs that much free host memory; below the floor (the\n"
	  "guest's xenstore memory/min_kib if it wrote one, else mem_floor in\n"
	  "xend.conf, 64 MiB) it is refused unless --force.\n"
	  "Prints the target asked and what the domain has now.\n"
	  "--deadline 30s: wait until the guest reaches SIZE (a progress bar on\n"
	  "a terminal); if it has not by then, --on-miss says what xend does:\n"
	  "log (default), pause, save (to /var/lib/xend/save/NAME-balloon.save;\n"
	  "`xenctl restore` brings it back) or destroy.  After the deadline the\n"
	  "hypervisor holds a shrunk domain at SIZE (maxmem lowered).  Every\n"
	  "request and its outcome is recorded; see `xenctl report`.\n" },
	{ "sched", ctl_sched_run, CTL_JSON,
	  "[--json] DOMAIN [--weight N] [--cap P]",
	  "show or set a domain's CPU weight and cap",
	  "Without options, print DOMAIN's weight, cap and each vCPU's CPUs.\n"
	  "--weight N (1..65535, default 256): its share of a busy CPU relative\n"
	  "to others: two domains at 256 and 512 on one CPU get 1/3 and 2/3.\n"
	  "--cap P: at most P percent of one CPU in all (50 = half a CPU, 200 =\n"
	  "two CPUs), even when CPUs are idle; 0 removes the cap.\n"
	  "The settings take effect at once, are recorded with the domain in\n"
	  "xend's database, and last for this domain's life; to have them\n"
	  "from creation on, put cpu_weight and cap in its config file.\n"
	  "With --json, print xend's reply object.\n" },
	{ "vcpu-pin", ctl_vcpu_pin_run, 0, "DOMAIN VCPU CPUS",
	  "restrict a vCPU to some physical CPUs",
	  "Let DOMAIN's vCPU number VCPU run only on CPUS, in xl syntax: \"0\",\n"
	  "\"0-1\", \"0,2-3\", or \"all\" to undo the pin.  A vCPU running\n"
	  "elsewhere moves at once.  Recorded as for `sched`; the config's\n"
	  "cpus = \"...\" pins every vCPU at creation.\n" },
	{ "vcpu-set", ctl_vcpu_set_run, CTL_JSON,
	  "[--json] DOMAIN N [--wait DURATION]",
	  "set how many of a domain's vCPUs are online (hotplug)",
	  "Ask DOMAIN to have vCPUs 0..N-1 online and the rest offline, and\n"
	  "wait (--wait: 30s by default, at most 10m; a bare number is\n"
	  "seconds; 0: do not wait) until its kernel has\n"
	  "brought them up or taken them down.  N is 1..maxvcpus: a domain is\n"
	  "built with maxvcpus vCPUs (its config; default: vcpus) and boots\n"
	  "with vcpus of them online.  The request goes through xenstore\n"
	  "(cpu/N/availability), which Linux watches; a vCPU brought up must\n"
	  "then be onlined inside the guest (a udev rule, or our domU init).\n"
	  "Recorded with the domain's CPU settings; exit 1 if the guest did\n"
	  "not follow in time.\n" },
	{ "block-attach", ctl_block_attach_run, CTL_JSON, "[--json] DOMAIN SPEC",
	  "give a running domain one more disk",
	  "Attach the disk SPEC to the running DOMAIN at once; its blkfront\n"
	  "sees a new device (xvdb in a Linux guest for SPEC ...,xvdb,...).\n"
	  "SPEC is one entry of a config file's disk = [...] list:\n"
	  "  file:/path/img,xvdb,w          (or a bare path; phy:/dev/sdb for\n"
	  "                                  a block device; r/ro read-only)\n"
	  "  /path/img,raw,xvdb,w           (target, format, vdev, access)\n"
	  "  /path/cd.iso,xvdc:cdrom,r      (a CD-ROM, always read-only)\n"
	  "  target=/path,vdev=xvdb,access=rw,format=raw,devtype=disk|cdrom\n"
	  "Only raw images; vdevs xvda..xvdz.  A file is served through a\n"
	  "loop device in dom0.  The disk lasts for the domain's life (it is\n"
	  "not added to its config).  Prints the domain's disks.\n" },
	{ "block-detach", ctl_block_detach_run, CTL_JSON,
	  "[--json] [--force] [--timeout DURATION] DOMAIN VDEV",
	  "take a disk away from a running domain",
	  "Remove disk VDEV (xvdb) from DOMAIN: the guest is asked to close\n"
	  "it (backend Closing), and only once its blkfront has closed are\n"
	  "the device and the loop device removed.  Waits at most --timeout\n"
	  "(default 20s); then fails and the disk stays attached.  --force\n"
	  "removes it whatever the guest is doing: blocks in flight are\n"
	  "lost.  Unmount it in the guest first: Linux's blkfront closes a\n"
	  "disk even when it is mounted.\n" },
	{ "block-list", ctl_block_list_run, CTL_JSON, "[--json] DOMAIN",
	  "list a domain's disks",
	  "One line per disk of DOMAIN: vdev, file or phy, disk or cdrom,\n"
	  "access, the backend's xenbus state by name (Initialising, InitWait,\n"
	  "Initialised, Connected, Closing, Closed), config or hot, the dom0\n"
	  "device blkback serves it from and the target.  --json prints xend's\n"
	  "reply (the state as its number, 4 = Connected).\n" },
	{ "report", ctl_report_run, CTL_JSON,
	  "[--since TIME] [--until TIME] [--domain NAME]\n"
	  "        [--csv | --json | --chart FILE]",
	  "accounting per domain over a time range, or its charts",
	  "For each domain that has samples in [--since, --until): CPU seconds\n"
	  "used, average and peak memory (MiB), the number of samples, and its\n"
	  "balloon requests (mem-set): how many, how many met and missed their\n"
	  "deadline, and the median time to comply of those met; in the\n"
	  "table, when its samples were taken (\"-now\": it still runs), so a\n"
	  "domain saved and restored or created again shows a row per life.\n"
	  "TIME is \"now\", @EPOCH-SECONDS, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS]\n"
	  "(UTC), or a duration ago such as 30m, 2h or 7d.  The default range\n"
	  "is the last hour.  --csv prints comma-separated values with a\n"
	  "header line; --json prints xend's reply object.  --domain NAME\n"
	  "(or its id) keeps that domain's rows only.\n"
	  "--chart FILE.png or FILE.svg draws the web console's charts instead\n"
	  "(CPU %, memory MiB, balloon requests and their time to comply), of\n"
	  "every domain with samples in the range or only --domain NAME's.\n" },
	{ "log", ctl_log_run, CTL_JSON,
	  "[-n LINES] [-f] [--json] [--source hypervisor|dom0|DOMAIN]",
	  "show (and follow) the hypervisor log",
	  "Print the newest LINES (default 100) lines of the hypervisor's log,\n"
	  "as collected by xend.  With -f, keep running and print new lines as\n"
	  "they arrive, until interrupted.  Lines lost because the hypervisor's\n"
	  "log ring wrapped before xend read them are recorded by xend as an\n"
	  "event.\n"
	  "The log holds the hypervisor's messages, dom0's console output and\n"
	  "what domUs print with console_io.  --source keeps one of them:\n"
	  "hypervisor (its own messages), dom0, or DOMAIN (name or id: what it\n"
	  "printed and the hypervisor's messages about it).  Messages a domU\n"
	  "causes (an unsupported hypercall...) are only here, not on dom0's\n"
	  "console, unless the hypervisor was booted with guest_loglvl=all.\n"
	  "A domU's ring console is `xenctl console`.\n" },
	{ "host-shutdown", ctl_host_shutdown_run, CTL_JSON, "[--json]",
	  "stop or save every guest because dom0 is going down",
	  "What dom0's poweroff and reboot run first: xend stops every domU as\n"
	  "on_host_shutdown in xend.conf says.  \"shutdown\" (the default) asks\n"
	  "each guest to power off (xenstore control/shutdown, as `xenctl\n"
	  "shutdown`) and destroys one that has not stopped after\n"
	  "host_shutdown_timeout (default 60 s), saying so.  \"save\" saves each\n"
	  "to /var/lib/xend/save/host-shutdown/NAME and records it; the next\n"
	  "xend start restores them (a guest whose save fails is shut down).\n"
	  "One line per guest as it goes, e.g. \"shutting down web ... done in\n"
	  "2.1 s\".  While it runs, create and restore are refused.\n" },
	{ "network-attach", ctl_network_attach_run, CTL_JSON,
	  "[--json] DOMAIN [mac=MAC] [bridge=BRIDGE] [ip=IP] [rate=RATE]",
	  "add a network interface to a running domain",
	  "Give the running DOMAIN a new vif (the lowest free device id): the\n"
	  "guest's xen-netfront makes it its next ethN, dom0's xen-netback makes\n"
	  "vifD.N and xend puts that on BRIDGE (default xenbr0, created if\n"
	  "missing).  mac defaults to a stable 00:16:3e:xx:xx:xx; ip= is kept\n"
	  "for the record; rate=RATE[@INTERVAL] (10Mb/s, 1MB/s@20ms) limits what\n"
	  "the guest sends.  The same keys as a config's vif entry.\n" },
	{ "network-detach", ctl_network_detach_run, CTL_JSON,
	  "[--json] DOMAIN DEVID|MAC",
	  "remove a network interface from a running domain",
	  "Remove DOMAIN's vif with that device id (network-list's Idx) or MAC:\n"
	  "the guest is asked to close it (its ethN goes away), then xend\n"
	  "removes its nodes; a guest that does not answer loses it after 20 s.\n" },
	{ "network-list", ctl_network_list_run, CTL_JSON, "[--json] DOMAIN",
	  "list a domain's network interfaces",
	  "One line per vif of DOMAIN: device id, MAC, bridge, the interface in\n"
	  "dom0 (vifD.N) and its state (connected once the guest's netfront and\n"
	  "dom0's netback are connected and the interface is on its bridge).\n" },
	{ "help", ctl_help_run, 0, "[COMMAND]",
	  "show help for xenctl or one command",
	  "Without COMMAND, list the commands; with COMMAND, describe it.\n" },
};

const size_t ctl_ncmds = sizeof ctl_cmds / sizeof ctl_cmds[0];

const struct ctl_cmd *
ctl_find(const char *name, char **why)
{
	const struct ctl_cmd *found = NULL;
	size_t i, n = 0, len = strlen(name);
	char *list = NULL, *tmp;

	for (i = 0; i < ctl_ncmds; i++)
		if (strcmp(ctl_cmds[i].name, name) == 0)
			return &ctl_cmds[i];
	if (len == 0) {
		xasprintf(why, "empty command name");
		return NULL;
	}
	for (i = 0; i < ctl_ncmds; i++) {
		if (strncmp(ctl_cmds[i].name, name, len) != 0)
			continue;
		found = &ctl_cmds[i];
		n++;
		if (list == NULL)
			list = xstrdup(ctl_cmds[i].name);
		else {
			xasprintf(&tmp, "%s, %s", list, ctl_cmds[i].name);
			free(list);
			list = tmp;
		}
	}
	if (n == 1) {
		free(list);
		return found;
	}
	if (n == 0)
		xasprintf(why, "unknown command \"%s\" (see `xenctl help`)",
		    name);
	else
		xasprintf(why, "ambiguous command \"%s\": could be %s", name,
		    list);
	free(list);
	return NULL;
}

int
ctl_usage_error(const struct ctl_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xenctl %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: xenctl %s %s\n(see `xenctl %s --help`)\n",
	    cmd->name, cmd->usage, cmd->name);
	return EXIT_USAGE;
}
