/*
 * The container image's entrypoint. Docker appends the words after the image
 * name to the entrypoint, and users write either flags for the daemon
 *
 *     docker run ... <image> --tracing-policy /tp.yaml
 *
 * or a whole command
 *
 *     docker run ... <image> /usr/bin/tetragon --export-filename /x.log
 *
 * With no words, or when the first starts with '-', this runs the daemon with
 * them; otherwise it runs them as the command. It replaces itself (execv), so
 * the daemon gets docker's signals directly. Written in C so that the image
 * needs no shell.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DAEMON "/usr/bin/tetragon"

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-') {
		argv[0] = DAEMON;
		execv(DAEMON, argv);
		fprintf(stderr, "tetragon-entrypoint: running %s: %s\n", DAEMON, strerror(errno));
		return 127;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "tetragon-entrypoint: running %s: %s\n", argv[1], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
