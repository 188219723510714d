/*
 * cmd.h: what a command handler sees.  The table in cmd.c has one entry
 * per command; each handler lives in a cmd-*.c file.  By the time a
 * handler runs, its arguments have been checked against its argument
 * list (names, types, required) and, for commands on a domain, the
 * target has been resolved, so handlers only do their own work.
 */
#ifndef XEND_CMD_H
#define XEND_CMD_H

#include "xend.h"

enum arg_type { ARG_STRING, ARG_UINT, ARG_BOOL };

struct cmd_arg {
	const char	*name;
	enum arg_type	 type;
	int		 required;
};

enum cmd_retval {
	CMD_DONE,	/* send ctx->result */
	CMD_ERROR,	/* send ctx->err */
	CMD_FOLLOW,	/* send ctx->result, then follow the log (stream) */
	CMD_WAIT,	/* a job (job.h) answers later; the client is parked */
	CMD_SENT,	/* the handler has answered itself (console attach) */
};

struct cmd_ctx {
	struct peer	*peer;
	int64_t		 id;
	json_t		*args;
	struct domain	*target;
	json_t		*result;	/* handler builds; dispatcher sends */
	struct xerr	 err;
};

#define CMD_TARGET	0x1	/* "domain" argument names the target */
#define CMD_BUSY_OK	0x2	/* may run on a domain a job works on */

struct cmd_entry {
	const char	*name;
	const struct cmd_arg *args;	/* ends with a NULL name */
	int		 flags;
	enum cmd_retval	 (*exec)(struct cmd_ctx *);
};

/* Argument access; types were checked before the handler ran. */
const char *cmd_arg_string(struct cmd_ctx *, const char *);
int	 cmd_arg_uint(struct cmd_ctx *, const char *, uint64_t *);
int	 cmd_arg_bool(struct cmd_ctx *, const char *);
enum cmd_retval cmd_fail(struct cmd_ctx *, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

extern const struct cmd_entry cmd_list_entry, cmd_info_entry;
extern const struct cmd_entry cmd_create_entry;
extern const struct cmd_entry cmd_destroy_entry, cmd_pause_entry,
	    cmd_unpause_entry, cmd_shutdown_entry;
extern const struct cmd_entry cmd_mem_set_entry;
extern const struct cmd_entry cmd_sched_entry;
extern const struct cmd_entry cmd_vcpu_pin_entry;
extern const struct cmd_entry cmd_vcpu_set_entry;
extern const struct cmd_entry cmd_log_entry;
extern const struct cmd_entry cmd_report_entry, cmd_series_entry;
extern const struct cmd_entry cmd_console_entry, cmd_input_entry,
	    cmd_save_entry,
	    cmd_restore_entry;
extern const struct cmd_entry cmd_host_shutdown_entry;
/* Networks (cmd-net.c); VIFS_MAX: the most one domain lists. */
#define VIFS_MAX	32
extern const struct cmd_entry cmd_network_attach_entry,
	    cmd_network_detach_entry, cmd_network_list_entry;
extern const struct cmd_entry cmd_block_attach_entry, cmd_block_detach_entry,
	    cmd_block_list_entry;

#endif
