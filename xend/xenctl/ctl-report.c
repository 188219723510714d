/*
 * ctl-report.c: "report": per-domain accounting over a time range, as a
 * table, CSV or JSON.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "strnum.h"

static void
fmt_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* CSV fields are quoted when they could be misread. */
static void
csv_field(const char *s)
{
	if (strpbrk(s, ",\"\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

int
ctl_report_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("report", NULL);
	int64_t now = (int64_t)time(NULL), since = now - 3600, until = now + 1;
	const char *cause;
	int i, csv = 0;
	json_t *args, *res, *d;
	size_t k;
	char a[32], b[32];

	for (i = 1; i < argc; i++) {
		int is_since = strcmp(argv[i], "--since") == 0;
		if (is_since || strcmp(argv[i], "--until") == 0) {
			if (++i == argc)
				return ctl_usage_error(self, "%s needs a time",
				    argv[i - 1]);
			if (strnum_time(argv[i], now, is_since ? &since :
			    &until, &cause) != 0)
				return ctl_usage_error(self, "bad time \"%s\": "
				    "%s", argv[i], cause);
		} else if (strcmp(argv[i], "--csv") == 0)
			csv = 1;
		else
			return ctl_usage_error(self, "unexpected argument "
			    "\"%s\"", argv[i]);
	}
	if (csv && c->json)
		return ctl_usage_error(self, "--csv and --json exclude each "
		    "other");
	if (since < 0 || until <= since)
		return ctl_usage_error(self, "--until must be after --since");
	args = json_object();
	json_object_set_new(args, "since", json_integer(since));
	json_object_set_new(args, "until", json_integer(until));
	ctl_connect(c);
	res = ctl_call(c, "report", args);
	if (c->json) {
		ctl_print_json(res);
		json_decref(res);
		return 0;
	}
	if (csv)
		printf("name,domid,cpu_seconds,mem_avg_mib,mem_peak_mib,"
		    "samples,balloon_requests,balloon_met,balloon_missed,"
		    "balloon_median_ms\n");
	else {
		fmt_time(since, a, sizeof a);
		fmt_time(until, b, sizeof b);
		printf("Accounting from %s to %s\n", a, b);
		printf("%-32s %5s %12s %12s %13s %8s %4s %4s %6s %10s\n",
		    "Name", "ID", "CPU(s)", "AvgMem(MiB)", "PeakMem(MiB)",
		    "Samples", "Req", "Met", "Missed", "Median(ms)");
	}
	json_array_foreach(json_object_get(res, "domains"), k, d) {
		const char *name = json_string_value(json_object_get(d,
		    "name"));
		json_int_t domid = json_integer_value(json_object_get(d,
		    "domid"));
		double cpu = json_number_value(json_object_get(d,
		    "cpu_seconds"));
		double avg = json_number_value(json_object_get(d,
		    "mem_avg_kib")) / 1024;
		double peak = (double)json_integer_value(json_object_get(d,
		    "mem_peak_kib")) / 1024;
		json_int_t n = json_integer_value(json_object_get(d,
		    "samples"));
		json_int_t req = json_integer_value(json_object_get(d,
		    "balloon_requests"));
		json_int_t met = json_integer_value(json_object_get(d,
		    "balloon_met"));
		json_int_t missed = json_integer_value(json_object_get(d,
		    "balloon_missed"));
		json_int_t med = json_integer_value(json_object_get(d,
		    "balloon_median_ms"));
		char meds[32] = "-";
		if (med >= 0 && json_object_get(d, "balloon_median_ms"))
			snprintf(meds, sizeof meds, "%" JSON_INTEGER_FORMAT,
			    med);
		if (csv) {
			csv_field(name);
			printf(",%" JSON_INTEGER_FORMAT ",%.3f,%.1f,%.1f,%"
			    JSON_INTEGER_FORMAT ",%" JSON_INTEGER_FORMAT ",%"
			    JSON_INTEGER_FORMAT ",%" JSON_INTEGER_FORMAT ",%s\n",
			    domid, cpu, avg, peak, n, req, met, missed,
			    med >= 0 ? meds : "");
		} else
			printf("%-32s %5" JSON_INTEGER_FORMAT " %12.3f %12.1f "
			    "%13.1f %8" JSON_INTEGER_FORMAT " %4"
			    JSON_INTEGER_FORMAT " %4" JSON_INTEGER_FORMAT " %6"
			    JSON_INTEGER_FORMAT " %10s\n", name, domid, cpu,
			    avg, peak, n, req, met, missed, meds);
	}
	json_decref(res);
	return EXIT_OK;
}
