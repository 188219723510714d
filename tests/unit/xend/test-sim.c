/*
 * test-sim.c: the simulated hypervisor behaves like a real one where xend
 * can see it: memory over-commit refused, states, CPU time growing only
 * while running, a wrapping log ring with sequence numbers, and state
 * that outlives the process (as a hypervisor outlives xend).  Like the
 * real builder it refuses a kernel or ramdisk it cannot read; save and
 * restore round-trip; a job handle reports progress of slow operations.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "hv.h"

struct logs {
	uint64_t first, last, n;
	int ordered;
};

static void
collect(void *arg, uint64_t seq, const char *line)
{
	struct logs *l = arg;

	(void)line;
	if (l->n == 0)
		l->first = seq;
	else if (seq != l->last + 1)
		l->ordered = 0;
	l->last = seq;
	l->n++;
}

static void
count_progress(void *arg, uint64_t done, uint64_t total)
{
	uint64_t *last = arg;

	if (done <= total && done == *last + 1)
		*last = done;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

int
main(void)
{
	char dir[] = "/tmp/xend-test-sim.XXXXXX", cmd[256], *cause = NULL;
	char kernel[64], missing[64], save[64], *blob = NULL;
	struct hv *job;
	uint64_t steps = 0;
	uint8_t handle[16];
	uint32_t d4;
	struct xend_conf conf;
	struct hv *hv;
	struct hv_build b;
	struct hv_dominfo di, list[8];
	struct hv_physinfo pi, pi2;
	struct logs lg;
	uint64_t next, lost, cpu1, cpu2;
	uint32_t d1, d2, d3;
	size_t n;
	int i, rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(kernel, sizeof kernel, "%s/vmlinuz", dir);
	snprintf(missing, sizeof missing, "%s/no-such-kernel", dir);
	snprintf(save, sizeof save, "%s/dom.save", dir);
	write_file(kernel, "not really a kernel\n");
	xendconf_defaults(&conf);
	free(conf.db_path);
	conf.db_path = malloc(strlen(dir) + 8);
	sprintf(conf.db_path, "%s/db", dir);
	conf.sim_memory_mib = 1024;
	conf.sim_dom0_memory_mib = 256;
	conf.sim_log_size = 1024;
	free(conf.backend);
	conf.backend = strdup("sim");

	hv = hv_open(&conf, &cause);
	CHECK("sim: opens", hv != NULL);
	if (hv == NULL)
		return 1;
	CHECK("sim: Domain-0 runs at boot", hv_list(hv, list, 8, &n) == 0 &&
	    n == 1 && list[0].domid == 0 && list[0].state == HV_RUNNING);
	CHECK("sim: physinfo", hv_physinfo(hv, &pi) == 0 &&
	    pi.total_kib == 1024 * 1024 && pi.free_kib < 768 * 1024);

	memset(&b, 0, sizeof b);
	b.mem_kib = b.maxmem_kib = 512 * 1024;
	b.vcpus = 2;
	b.kernel = missing;
	CHECK("sim: a missing kernel is refused, as by the real builder",
	    hv_create(hv, &b, &d1) == -ENOENT &&
	    strstr(hv_errmsg(hv), "kernel") != NULL &&
	    strstr(hv_errmsg(hv), "no-such-kernel") != NULL);
	b.kernel = dir;
	CHECK("sim: a directory as kernel is refused",
	    hv_create(hv, &b, &d1) == -EINVAL);
	b.kernel = kernel;
	b.ramdisk = missing;
	CHECK("sim: a missing ramdisk is refused",
	    hv_create(hv, &b, &d1) == -ENOENT &&
	    strstr(hv_errmsg(hv), "ramdisk") != NULL);
	b.ramdisk = NULL;
	CHECK("sim: refused creates leave no domain", hv_list(hv, list, 8,
	    &n) == 0 && n == 1);
	b.handle[0] = 0xab;
	CHECK("sim: create within free memory", hv_create(hv, &b, &d1) == 0 &&
	    d1 == 1);
	CHECK("sim: second create over-commits and is refused",
	    hv_create(hv, &b, &d2) == -ENOMEM &&
	    strstr(hv_errmsg(hv), "not enough free memory") != NULL);
	b.mem_kib = b.maxmem_kib = 64 * 1024;
	CHECK("sim: small create fits", hv_create(hv, &b, &d2) == 0 &&
	    d2 == 2);
	CHECK("sim: handle is kept", hv_info(hv, d1, &di) == 0 &&
	    di.handle[0] == 0xab);

	hv_info(hv, d1, &di);
	cpu1 = di.cpu_ns;
	sleep_ms(60);
	hv_info(hv, d1, &di);
	cpu2 = di.cpu_ns;
	CHECK("sim: CPU time grows while running", cpu2 > cpu1);
	CHECK("sim: counters grow with CPU", di.counters.hypercalls > 0);
	CHECK("sim: pause", hv_pause(hv, d1) == 0 && hv_info(hv, d1, &di) == 0
	    && di.state == HV_PAUSED);
	cpu1 = di.cpu_ns;
	sleep_ms(30);
	hv_info(hv, d1, &di);
	CHECK("sim: CPU time stops while paused", di.cpu_ns == cpu1);
	CHECK("sim: pausing twice is refused", hv_pause(hv, d1) == -EINVAL);
	CHECK("sim: unpause", hv_unpause(hv, d1) == 0 && hv_info(hv, d1, &di)
	    == 0 && di.state == HV_RUNNING);
	CHECK("sim: Domain-0 cannot be destroyed", hv_destroy(hv, 0) == -EPERM);
	CHECK("sim: unknown domain", hv_pause(hv, 77) == -ESRCH);

	CHECK("sim: balloon above maxmem refused", hv_set_target(hv, d2,
	    128 * 1024) == -EINVAL);
	CHECK("sim: balloon down", hv_set_target(hv, d2, 32 * 1024) == 0 &&
	    hv_info(hv, d2, &di) == 0 && di.mem_kib == 32 * 1024);
	CHECK("sim: shutdown", hv_shutdown(hv, d2, HV_SHUTDOWN_REBOOT) == 0 &&
	    hv_info(hv, d2, &di) == 0 && di.state == HV_SHUTDOWN &&
	    di.shutdown_reason == HV_SHUTDOWN_REBOOT);
	CHECK("sim: destroy frees memory", hv_physinfo(hv, &pi) == 0 &&
	    hv_destroy(hv, d2) == 0 && hv_physinfo(hv, &pi2) == 0 &&
	    pi2.free_kib == pi.free_kib + 32 * 1024);
	CHECK("sim: destroyed domain is gone", hv_info(hv, d2, &di) == -ESRCH);
	b.mem_kib = b.maxmem_kib = 16 * 1024;
	CHECK("sim: domain ids are not reused at once", hv_create(hv, &b, &d3)
	    == 0 && d3 == 3);

	/* Flood the 1 KiB log ring so it wraps. */
	for (i = 0; i < 40; i++) {
		hv_pause(hv, d3);
		hv_unpause(hv, d3);
	}
	memset(&lg, 0, sizeof lg);
	lg.ordered = 1;
	rc = hv_log_read(hv, 0, collect, &lg, &next, &lost);
	CHECK("sim: log read", rc == 0 && lg.n > 0);
	CHECK("sim: log ring wrapped and reports loss", lost > 0 &&
	    lg.first == lost);
	CHECK("sim: log seqs consecutive after the loss", lg.ordered);
	CHECK("sim: next is one past the newest", next == lg.last + 1);
	memset(&lg, 0, sizeof lg);
	CHECK("sim: reading from next gives nothing new", hv_log_read(hv, next,
	    collect, &lg, &next, &lost) == 0 && lg.n == 0 && lost == 0);
	hv_physinfo(hv, &pi);
	hv_close(hv);

	/* "xend restarts": the hypervisor's state is still there. */
	hv = hv_open(&conf, &cause);
	CHECK("sim: reopens from its state file", hv != NULL);
	if (hv == NULL)
		return 1;
	CHECK("sim: same boot after reopen", hv_physinfo(hv, &pi2) == 0 &&
	    strcmp(pi.boot_id, pi2.boot_id) == 0);
	CHECK("sim: domains survive reopen", hv_list(hv, list, 8, &n) == 0 &&
	    n == 3 && list[1].domid == d1 && list[2].domid == d3);
	memset(&lg, 0, sizeof lg);
	CHECK("sim: log position survives reopen", hv_log_read(hv, next,
	    collect, &lg, &next, &lost) == 0 && lg.n == 0);
	hv_close(hv);

	/* Save and restore, on a job handle as xend's worker uses them. */
	setenv("XEND_SIM_DELAY_MS", "50", 1);
	hv = hv_open(&conf, &cause);
	CHECK("sim: reopens with a delay", hv != NULL);
	if (hv == NULL)
		return 1;
	job = hv_job_open(hv, count_progress, &steps, &cause);
	CHECK("sim: job handle opens", job != NULL);
	if (job == NULL)
		return 1;
	CHECK("sim: save writes the file and leaves the domain paused",
	    hv_save_domain(job, d3, save, "web\n64\n/c\nname = \"web\"\n")
	    == 0 && access(save, R_OK) == 0 && hv_info(hv, d3, &di) == 0 &&
	    di.state == HV_PAUSED);
	CHECK("sim: the slow part reports ten steps of progress", steps == 10);
	CHECK("sim: Domain-0 cannot be saved", hv_save_domain(job, 0, save,
	    "x") == -EPERM);
	hv_destroy(hv, d3);
	memset(handle, 0xcd, sizeof handle);
	CHECK("sim: restore makes a running domain with the blob",
	    hv_restore_domain(job, save, handle, &d4, &blob) == 0 &&
	    blob != NULL && strcmp(blob, "web\n64\n/c\nname = \"web\"\n")
	    == 0 && hv_info(hv, d4, &di) == 0 && di.state == HV_RUNNING &&
	    di.handle[0] == 0xcd && di.mem_kib == 16 * 1024);
	free(blob);
	blob = NULL;
	write_file(save, "xend-sim-save 1\ndom 1 1 1\nblob 99\nshort");
	CHECK("sim: truncated save file refused",
	    hv_restore_domain(job, save, handle, &d4, &blob) == -EINVAL &&
	    blob == NULL && strstr(hv_errmsg(job), "truncated") != NULL);
	CHECK("sim: a kernel is not a save file",
	    hv_restore_domain(job, kernel, handle, &d4, &blob) == -EINVAL);
	hv_job_close(hv, job);
	unsetenv("XEND_SIM_DELAY_MS");
	hv_close(hv);

	snprintf(cmd, sizeof cmd, "%s/db.sim-state", dir);
	{
		FILE *f = fopen(cmd, "w");
		fputs("garbage\n", f);
		fclose(f);
	}
	hv = hv_open(&conf, &cause);
	CHECK("sim: corrupt state file refused with a message", hv == NULL &&
	    strstr(cause, "corrupt simulator state") != NULL);
	free(cause);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	xendconf_free(&conf);
	return check_exit();
}
