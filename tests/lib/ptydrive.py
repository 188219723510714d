#!/usr/bin/env python3
# ptydrive.py: run a command on a pseudo-terminal, as a person would.
#   ptydrive.py OUT WAIT TEXT EXPECT [--no-detach] -- CMD...
# Once WAIT has appeared in the output, types TEXT (backslash escapes
# allowed: \r, \x1d); once EXPECT has appeared after WAIT, types Ctrl-]
# (unless --no-detach).  Everything the command wrote goes to OUT as it
# comes (a test may wait for a line in it while the command runs); prints
# the command's exit status (124 if it had not ended after 120 s: a
# watchdog for a hung command, not a speed limit).
import os, pty, select, signal, sys, time

args = sys.argv[1:]
sep = args.index('--')
out, wait, text, expect = args[:4]
detach = '--no-detach' not in args[4:sep]
cmd = args[sep + 1:]
wait_b = wait.encode()
text_b = text.encode().decode('unicode_escape').encode('latin-1')
expect_b = expect.encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
buf = b''
log = open(out, 'wb')
sent = detached = False
t0 = time.time()
status = None
while time.time() - t0 < 120:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            d = os.read(fd, 65536)
        except OSError:
            d = b''
        if not d:
            break
        buf += d
        log.write(d)
        log.flush()
    if not sent and wait_b in buf:
        os.write(fd, text_b)
        sent = True
    if sent and detach and not detached and \
            expect_b in buf.split(wait_b, 1)[1]:
        os.write(fd, b'\x1d')
        detached = True
else:
    os.kill(pid, signal.SIGKILL)
    status = 124
_, st = os.waitpid(pid, 0)
log.close()
print(status if status is not None else os.waitstatus_to_exitcode(st))
