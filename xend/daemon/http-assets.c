/*
 * http-assets.c: the console's files.  Only names in the table below are
 * served, each from http_root, so no request path ever reaches the file
 * system (no "..", no symlink games, nothing else in the directory).  The
 * chart library (uPlot) and its licence are put in http_root by the build
 * from the npm registry (xend/web/package-lock.json pins the version).
 * The login page is made here: it is the one page served without a
 * session, and it has no script at all.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "xend.h"
#include "xmalloc.h"

/* Largest asset (uPlot's minified script is ~50 KiB). */
#define ASSET_MAX	(1024 * 1024)

static const struct asset {
	const char	*name;
	const char	*type;
} assets[] = {
	{ "index.html", "text/html; charset=utf-8" },
	{ "domain.html", "text/html; charset=utf-8" },
	{ "console.css", "text/css; charset=utf-8" },
	{ "common.js", "text/javascript; charset=utf-8" },
	{ "list.js", "text/javascript; charset=utf-8" },
	{ "domain.js", "text/javascript; charset=utf-8" },
	{ "uPlot.iife.min.js", "text/javascript; charset=utf-8" },
	{ "uPlot.min.css", "text/css; charset=utf-8" },
	{ "uPlot.LICENSE", "text/plain; charset=utf-8" },
};

void
http_assets_serve(struct evhttp_request *req, const char *name)
{
	const struct asset *a = NULL;
	struct stat st;
	char *path, *buf;
	ssize_t n;
	size_t i;
	int fd;

	for (i = 0; i < sizeof assets / sizeof assets[0]; i++)
		if (strcmp(assets[i].name, name) == 0)
			a = &assets[i];
	if (a == NULL) {
		http_send(req, 404, "text/plain", "not found\n", 10);
		return;
	}
	xasprintf(&path, "%s/%s", xend->conf.http_root, a->name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > ASSET_MAX) {
		log_warnx("web console: cannot serve %s", path);
		if (fd >= 0)
			close(fd);
		free(path);
		http_send(req, 404, "text/plain", "asset missing\n", 14);
		return;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	free(path);
	if (n != st.st_size)
		http_send(req, 500, "text/plain", "short read\n", 11);
	else
		http_send(req, 200, a->type, buf, (size_t)n);
	free(buf);
}

void
http_assets_login(struct evhttp_request *req, int status,
    const char *message)
{
	char *page;

	/* message is one of http-auth.c's fixed sentences, never input. */
	xasprintf(&page,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>xend: log in</title></head><body>\n"
	    "<h1>xend web console</h1>\n%s%s%s"
	    "<form method=\"post\" action=\"/login\" id=\"login\">\n"
	    "<label>Token or password <input type=\"password\" name=\"secret\""
	    " id=\"secret\" autocomplete=\"current-password\" maxlength=\"256\""
	    " autofocus></label>\n"
	    "<button type=\"submit\" id=\"login-button\">Log in</button>\n"
	    "</form>\n<p>The token is in the file <code>http-token</code> "
	    "beside xend's database (readable by root only).</p>\n"
	    "</body></html>\n",
	    message != NULL ? "<p id=\"login-error\">" : "",
	    message != NULL ? message : "", message != NULL ? "</p>\n" : "");
	http_send(req, status, "text/html; charset=utf-8", page,
	    strlen(page));
	free(page);
}
