/* The console: where printk output goes, and the log ring that keeps it.
 *
 * Output devices register a sink; printk formats one message, prefixes each
 * line with "(XEN) [seconds.micros] ", stores it in the log ring and writes
 * it to every sink.  The ring keeps whole lines with 64-bit sequence numbers
 * so a reader (the dom0_op log reader, later) resumes where it stopped and
 * can tell how many lines it missed when the ring wrapped. */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <xen/types.h>

struct console_sink {
    const char *name;
    void (*write)(const char *s, size_t len);
};

/* Up to 4 sinks; registered at boot only. */
void console_register_sink(const struct console_sink *sink);
/* Panic path: take the console even if another CPU died holding its lock. */
void console_force_unlock(void);

/* Read whole log lines with sequence numbers >= *seq into buf (each line
 * NUL-free and '\n'-terminated).  Returns bytes copied; updates *seq to the
 * next unread sequence number and *lost to how many lines between the
 * requested seq and the oldest retained line were overwritten. */
size_t console_log_read(uint64_t *seq, char *buf, size_t len, uint64_t *lost);
uint64_t console_log_next_seq(void);

/* dom0's console output: raw to the devices, and lines into the ring. */
void console_write_raw(const char *s, size_t n);
void console_log_line(const char *s, size_t n);

/* Arch: one character of console input, or -1 if none is waiting. */
int arch_console_getc(void);

/* Hooks: the time source for timestamps (NULL until time is calibrated). */
extern s_time_t (*console_time_source)(void);

#endif /* XEN_CONSOLE_H */
