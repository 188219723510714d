/*
 * tool-rawsend.c: a test helper, not a test.  Sends its standard input
 * byte for byte to xend's socket, half-closes, and prints every reply
 * line until xend closes the connection (or 5 s pass).  Lets the shell
 * tests send requests xenctl would never produce.
 *
 * usage: tool-rawsend SOCKET < bytes
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un sa;
	char buf[65536];
	struct pollfd pfd;
	ssize_t n, off, w;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: tool-rawsend SOCKET < bytes\n");
		return 2;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
		perror("connect");
		return 3;
	}
	while ((n = read(0, buf, sizeof buf)) > 0) {
		for (off = 0; off < n; off += w) {
			w = write(fd, buf + off, (size_t)(n - off));
			if (w <= 0) {
				/* xend may close early on a framing error. */
				goto replies;
			}
		}
	}
replies:
	shutdown(fd, SHUT_WR);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 5000) > 0) {
		n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;
		fwrite(buf, 1, (size_t)n, stdout);
	}
	close(fd);
	return 0;
}
