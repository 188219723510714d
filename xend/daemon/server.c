/*
 * server.c: the listening socket and the event loop.
 *
 * The socket is created mode 0600 in a directory made 0700 if missing.  A
 * stale socket left by a crashed xend is replaced; a live one (something
 * answers connect) means another xend runs, and this one refuses to start.
 * When accept fails for lack of file descriptors xend stops accepting for
 * a second instead of spinning or exiting: the clients already connected
 * keep being served and the backlog waits.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "xend.h"
#include "xmalloc.h"

static int listen_fd = -1;
static char *listen_path;
static struct event *ev_accept, *ev_backoff, *ev_term, *ev_int, *ev_hup;

/* mkdir -p for the parents of path, new directories mode 0700. */
static int
make_parents(const char *path)
{
	char *dir = xstrdup(path), *p;

	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
			free(dir);
			return -1;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

static void
server_accept(evutil_socket_t fd, short events, void *arg)
{
	struct timeval one_second = { 1, 0 };
	int cfd;

	(void)events;
	(void)arg;
	for (;;) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE) {
				log_warnx("accept: out of file descriptors "
				    "with %u clients; pausing accepts for 1s",
				    xend->npeers);
				event_del(ev_accept);
				evtimer_add(ev_backoff, &one_second);
			} else if (errno != EAGAIN)
				log_warn("accept");
			return;
		}
		peer_accept(cfd);
	}
}

static void
server_accept_resume(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	log_debug("resuming accepts");
	event_add(ev_accept, NULL);
}

static void
server_signal(evutil_socket_t sig, short events, void *arg)
{
	(void)events;
	(void)arg;
	if (sig == SIGHUP) {
		log_info("SIGHUP: refreshing domains");
		sampler_tick();
		return;
	}
	log_info("signal %d: shutting down", (int)sig);
	event_base_loopexit(xend->base, NULL);
}

/* Is something already answering on path? */
static int
socket_alive(const struct sockaddr_un *sa)
{
	int fd, alive;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	alive = connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0;
	close(fd);
	return alive;
}

int
server_listen(const char *path, char **cause)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		xasprintf(cause, "socket path too long (%zu bytes, limit %zu): "
		    "%s", strlen(path), sizeof sa.sun_path - 1, path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (make_parents(path) != 0) {
		xasprintf(cause, "cannot create directory for %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			xasprintf(cause, "%s exists and is not a socket; "
			    "remove it or choose another --socket", path);
			return -1;
		}
		if (socket_alive(&sa)) {
			xasprintf(cause, "another xend is already listening "
			    "on %s", path);
			return -1;
		}
		unlink(path);
	}
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (listen_fd == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	old = umask(0177);
	if (bind(listen_fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
		umask(old);
		xasprintf(cause, "bind %s: %s", path, strerror(errno));
		close(listen_fd);
		return -1;
	}
	umask(old);
	if (chmod(path, 0600) == -1 || listen(listen_fd, SOMAXCONN) == -1) {
		xasprintf(cause, "listen %s: %s", path, strerror(errno));
		close(listen_fd);
		unlink(path);
		return -1;
	}
	listen_path = xstrdup(path);

	ev_accept = event_new(xend->base, listen_fd, EV_READ | EV_PERSIST,
	    server_accept, NULL);
	ev_backoff = evtimer_new(xend->base, server_accept_resume, NULL);
	event_add(ev_accept, NULL);
	ev_term = evsignal_new(xend->base, SIGTERM, server_signal, NULL);
	ev_int = evsignal_new(xend->base, SIGINT, server_signal, NULL);
	ev_hup = evsignal_new(xend->base, SIGHUP, server_signal, NULL);
	event_add(ev_term, NULL);
	event_add(ev_int, NULL);
	event_add(ev_hup, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

void
server_loop(void)
{
	event_base_dispatch(xend->base);
}

void
server_shutdown(void)
{
	struct event **evs[] = { &ev_accept, &ev_backoff, &ev_term, &ev_int,
	    &ev_hup };
	size_t i;

	for (i = 0; i < sizeof evs / sizeof evs[0]; i++) {
		if (*evs[i] != NULL)
			event_free(*evs[i]);
		*evs[i] = NULL;
	}
	if (listen_fd != -1)
		close(listen_fd);
	if (listen_path != NULL)
		unlink(listen_path);
	free(listen_path);
	listen_path = NULL;
	listen_fd = -1;
}
