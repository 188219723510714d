/*
 * ctl.h: xenctl, the command-line client of xend.  One table of commands
 * (ctl-cmd.c) with a handler each (ctl-*.c); the connection and the
 * request/reply exchange in ctl-conn.c.
 *
 * xenctl trusts xend the way xend distrusts clients: a reply that does
 * not decode ends xenctl with EXIT_PROTOCOL rather than being second-
 * guessed.
 */
#ifndef XEND_CTL_H
#define XEND_CTL_H

#include <stdint.h>

#include <jansson.h>

/* Exit statuses; documented in `xenctl --help` and docs/xend.md. */
#define EXIT_OK		0	/* done */
#define EXIT_DAEMON	1	/* xend refused or failed the request */
#define EXIT_USAGE	2	/* bad command line (unknown command, bad size) */
#define EXIT_NOCONN	3	/* cannot reach xend */
#define EXIT_PROTOCOL	4	/* xend's reply made no sense / connection lost */
#define EXIT_CONFIG	5	/* the domain config file is invalid */

struct ctl {
	const char	*socket_path;
	int		 fd;
	int		 json;		/* --json given */
	int64_t		 next_id;
	int		 progress_shown;	/* a bar is on stderr */
	int		 progress_pct;	/* ... showing this percent */
	char		 progress_what[16];	/* ... of this step */
	double		 progress_t0;	/* when the first item came (MiB/s) */
	json_int_t	 progress_done0;
	int		 slow;		/* a job: wait for the reply unbounded */
	char		*buf;		/* unread reply bytes */
	size_t		 len, cap;
};

#define CTL_JSON	0x1	/* read command: accepts --json */

struct ctl_cmd {
	const char	*name;
	int		 (*run)(struct ctl *, int argc, char **argv);
	int		 flags;
	const char	*usage;		/* arguments, after the name */
	const char	*summary;	/* one line for the command list */
	const char	*help;		/* full text for CMD --help */
};

/* ctl-cmd.c */
extern const struct ctl_cmd ctl_cmds[];
extern const size_t ctl_ncmds;
/* Exact name or unique prefix; NULL with *why set otherwise. */
const struct ctl_cmd *ctl_find(const char *name, char **why);
int	 ctl_usage_error(const struct ctl_cmd *, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));

/* ctl-args.c: positional arguments, checked the same way by every
 * command.  A word no option of the command took: the next of want
 * positionals in pos, or a usage error (unknown option, unexpected
 * argument).  Then ctl_args_complete: "missing DOMAIN" (the word of the
 * usage line) when fewer came.  ctl_args_only: both, for a command that
 * takes no options.  Each returns EXIT_OK or EXIT_USAGE. */
int	 ctl_arg_positional(const struct ctl_cmd *, const char *arg,
	     const char **pos, int *npos, int want);
int	 ctl_args_complete(const struct ctl_cmd *, int npos, int want);
int	 ctl_args_only(const struct ctl_cmd *, int argc, char **argv,
	     const char **pos, int want);

/* ctl-help.c */
void	 ctl_print_overview(FILE *);
void	 ctl_print_help(FILE *, const struct ctl_cmd *);
int	 ctl_help_run(struct ctl *, int, char **);

/* ctl-conn.c */
void	 ctl_connect(struct ctl *);
/* Send a request and wait for its answer.  Returns the result object
 * (caller decrefs); on an error reply prints it and exits EXIT_DAEMON. */
json_t	*ctl_call(struct ctl *, const char *cmd, json_t *args);
/* For streams: the next stream item, or NULL when xend closed. */
json_t	*ctl_next_stream(struct ctl *);
void	 ctl_print_json(json_t *);
/* Streams that also send (console attach): requests without waiting,
 * reads as the socket has data, replies as they are complete. */
struct proto_reply;
int64_t	 ctl_send(struct ctl *, const char *cmd, json_t *args);
int	 ctl_fill(struct ctl *);
int	 ctl_buffered_reply(struct ctl *, struct proto_reply *);

/* ctl-console.c: attach to a domain's console until Ctrl-] */
int	 ctl_console_attach(struct ctl *, const char *domain, int history);
void	 ctl_print_json_line(json_t *);

/* ctl-progress.c: progress items of slow commands */
void	 ctl_progress_show(struct ctl *, json_t *item);
void	 ctl_progress_end(struct ctl *);
/* What those two do on a terminal, to any stream (the unit test's): the
 * bar, redrawn only when its step or whole percent changes. */
void	 ctl_progress_draw(struct ctl *, FILE *, json_t *item);
void	 ctl_progress_clear(struct ctl *, FILE *);

/* handlers */
int	 ctl_list_run(struct ctl *, int, char **);
int	 ctl_info_run(struct ctl *, int, char **);
int	 ctl_create_run(struct ctl *, int, char **);
int	 ctl_destroy_run(struct ctl *, int, char **);
int	 ctl_pause_run(struct ctl *, int, char **);
int	 ctl_unpause_run(struct ctl *, int, char **);
int	 ctl_shutdown_run(struct ctl *, int, char **);
int	 ctl_mem_set_run(struct ctl *, int, char **);
int	 ctl_sched_run(struct ctl *, int, char **);
int	 ctl_vcpu_pin_run(struct ctl *, int, char **);
int	 ctl_vcpu_set_run(struct ctl *, int, char **);
int	 ctl_console_run(struct ctl *, int, char **);
int	 ctl_save_run(struct ctl *, int, char **);
int	 ctl_restore_run(struct ctl *, int, char **);
int	 ctl_log_run(struct ctl *, int, char **);
int	 ctl_report_run(struct ctl *, int, char **);
/* ctl-chart.c: draw "series" replies into path (.png or .svg); 0, or -1
 * with *error set (nothing left at path). */
int	 ctl_chart_write(const char *path, json_t *series, int64_t since,
	     int64_t until, char **error);
/* 1 where ctl_chart_write draws (ctl-chart.c, cairo); 0 in the static
 * xenctl of the initramfs dom0 (ctl-chart-none.c), which refuses --chart
 * before asking xend for anything. */
extern const int ctl_chart_supported;
#define CTL_CHART_UNSUPPORTED "this xenctl was built without chart support " \
	"(the static copy in make run's initramfs dom0, which has no cairo); " \
	"use the packaged xenctl (minixen-utils: make run DOM0=disk) or the " \
	"web console"
int	 ctl_host_shutdown_run(struct ctl *, int, char **);
int	 ctl_network_attach_run(struct ctl *, int, char **);
int	 ctl_network_detach_run(struct ctl *, int, char **);
int	 ctl_network_list_run(struct ctl *, int, char **);
int	 ctl_block_attach_run(struct ctl *, int, char **);
int	 ctl_block_detach_run(struct ctl *, int, char **);
int	 ctl_block_list_run(struct ctl *, int, char **);

#endif
