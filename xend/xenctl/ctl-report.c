/*
 * ctl-report.c: "report": per-domain accounting over a time range, as a
 * table, CSV or JSON; or, with --chart, the web console's charts of one
 * or every domain over that range as a PNG or SVG file (ctl-chart.c).
 */
#include <stdio.h>
#include <stdlib.h>
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

/* The table's Sampled column: when the row's samples were taken (UTC),
 * "19:21-19:32", with days when they differ, and "-now" while the domain
 * lives.  A domain saved and restored, or created again under its name,
 * is a row per life with the same name and often the same id: this is
 * what tells them apart. */
static void
fmt_span(json_t *d, char *buf, size_t len)
{
	time_t a = (time_t)(json_integer_value(json_object_get(d,
	    "first_ms")) / 1000);
	time_t b = (time_t)(json_integer_value(json_object_get(d,
	    "last_ms")) / 1000);
	struct tm ta, tb;
	char x[32], y[32];
	const char *f;

	gmtime_r(&a, &ta);
	gmtime_r(&b, &tb);
	f = ta.tm_yday == tb.tm_yday && ta.tm_year == tb.tm_year ? "%H:%M" :
	    "%m-%d %H:%M";
	strftime(x, sizeof x, f, &ta);
	strftime(y, sizeof y, f, &tb);
	if (json_is_true(json_object_get(d, "alive")))
		snprintf(buf, len, "%s-now", x);
	else
		snprintf(buf, len, "%s-%s", x, y);
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

/* Is d, a row of the report, DOMAIN's (its name, or its id)? */
static int
row_is(json_t *d, const char *domain)
{
	const char *name = json_string_value(json_object_get(d, "name"));
	json_t *domid = json_object_get(d, "domid");
	char id[32];

	if (name != NULL && strcmp(name, domain) == 0)
		return 1;
	if (!json_is_integer(domid))
		return 0;
	snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT,
	    json_integer_value(domid));
	return strcmp(id, domain) == 0;
}

/* --domain: only that domain's rows of the reply's "domains". */
static void
keep_domain(json_t *res, const char *domain)
{
	json_t *all = json_object_get(res, "domains");
	size_t k;

	for (k = json_array_size(all); k-- > 0; )
		if (!row_is(json_array_get(all, k), domain))
			json_array_remove(all, k);
}

/* --chart: the "series" of one domain, or of each domain the report
 * over the range names, drawn into path. */
static int
report_chart(struct ctl *c, const char *path, const char *domain,
    int64_t since, int64_t until)
{
	json_t *all = json_array(), *res, *d, *args;
	char *error;
	size_t k, j;
	const char *name;

	ctl_connect(c);
	if (domain != NULL)
		res = json_pack("{s:[{s:s}]}", "domains", "name", domain);
	else {
		args = json_pack("{s:I, s:I}", "since", (json_int_t)since,
		    "until", (json_int_t)until);
		res = ctl_call(c, "report", args);
	}
	json_array_foreach(json_object_get(res, "domains"), k, d) {
		name = json_string_value(json_object_get(d, "name"));
		for (j = 0; j < k; j++)	/* one line per name */
			if (strcmp(name, json_string_value(json_object_get(
			    json_array_get(json_object_get(res, "domains"), j),
			    "name"))) == 0)
				break;
		if (j < k)
			continue;
		args = json_pack("{s:s, s:I, s:I}", "domain", name, "since",
		    (json_int_t)since, "until", (json_int_t)until);
		json_array_append_new(all, ctl_call(c, "series", args));
	}
	json_decref(res);
	if (ctl_chart_write(path, all, since, until, &error) != 0) {
		fprintf(stderr, "xenctl: report: %s\n", error);
		free(error);
		json_decref(all);
		return EXIT_DAEMON;
	}
	json_decref(all);
	return EXIT_OK;
}

static int
chart_path_ok(const char *p)
{
	size_t n = strlen(p);

	return n > 4 && (strcmp(p + n - 4, ".png") == 0 ||
	    strcmp(p + n - 4, ".svg") == 0);
}

int
ctl_report_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("report", NULL);
	int64_t now = (int64_t)time(NULL), since = now - 3600, until = now + 1;
	const char *cause, *chart = NULL, *domain = NULL;
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
		else if (strcmp(argv[i], "--chart") == 0 ||
		    strcmp(argv[i], "--domain") == 0) {
			if (i + 1 == argc)
				return ctl_usage_error(self, "%s needs a value",
				    argv[i]);
			if (argv[i][2] == 'c')
				chart = argv[++i];
			else
				domain = argv[++i];
		}
		else
			return ctl_usage_error(self, "unexpected argument "
			    "\"%s\"", argv[i]);
	}
	if (csv && c->json)
		return ctl_usage_error(self, "--csv and --json exclude each "
		    "other");
	if (since < 0 || until <= since)
		return ctl_usage_error(self, "--until must be after --since");
	if (chart != NULL && (csv || c->json))
		return ctl_usage_error(self, "--chart excludes --csv and "
		    "--json");
	if (chart != NULL && !chart_path_ok(chart))
		return ctl_usage_error(self, "--chart FILE must end in .png "
		    "or .svg");
	if (chart != NULL && !ctl_chart_supported) {
		fprintf(stderr, "xenctl: report --chart: %s\n",
		    CTL_CHART_UNSUPPORTED);
		return EXIT_DAEMON;
	}
	if (chart != NULL)
		return report_chart(c, chart, domain, since, until);
	args = json_object();
	json_object_set_new(args, "since", json_integer(since));
	json_object_set_new(args, "until", json_integer(until));
	ctl_connect(c);
	res = ctl_call(c, "report", args);
	if (domain != NULL)
		keep_domain(res, domain);
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
		printf("%-32s %5s %12s %12s %13s %8s %4s %4s %6s %10s  %s\n",
		    "Name", "ID", "CPU(s)", "AvgMem(MiB)", "PeakMem(MiB)",
		    "Samples", "Req", "Met", "Missed", "Median(ms)",
		    "Sampled(UTC)");
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
		} else {
			char span[80];

			fmt_span(d, span, sizeof span);
			printf("%-32s %5" JSON_INTEGER_FORMAT " %12.3f %12.1f "
			    "%13.1f %8" JSON_INTEGER_FORMAT " %4"
			    JSON_INTEGER_FORMAT " %4" JSON_INTEGER_FORMAT " %6"
			    JSON_INTEGER_FORMAT " %10s  %s\n", name, domid, cpu,
			    avg, peak, n, req, met, missed, meds, span);
		}
	}
	json_decref(res);
	return EXIT_OK;
}
