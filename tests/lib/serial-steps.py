#!/usr/bin/env python3
# serial-steps.py: drive a machine's serial console as a person at it would.
#
#   serial-steps.py LOG STEPS -- CMD...
#
# Runs CMD (e.g. scripts/run-qemu.sh, whose stdin and stdout are the
# serial console) and follows STEPS, one per line:
#   expect NAME SECONDS REGEX   wait for REGEX in what CMD printed after
#                               the previous match; prints "reached NAME"
#                               or, after SECONDS (a guard against hangs,
#                               not a measurement), "missed NAME" and stops
#   send TEXT                   type TEXT (backslash escapes: \r, \x1d)
#   exit NAME SECONDS           wait for CMD to end: "exited NAME STATUS",
#                               or "missed NAME" after SECONDS
# Everything CMD printed goes to LOG (also while it runs).  Whatever
# happens, CMD is ended before this returns (its process group is
# killed), so a stuck machine cannot outlive the test.  Exit status 0 when
# every step was reached.
import os, re, select, signal, subprocess, sys, time

args = sys.argv[1:]
sep = args.index('--')
log_path, steps_path = args[:2]
cmd = args[sep + 1:]
steps = [l.rstrip('\n') for l in open(steps_path) if l.strip() and not l.startswith('#')]

proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, start_new_session=True)
log = open(log_path, 'wb')
buf = b''
pos = 0             # where the next expect starts looking
eof = False


def pump(timeout):
    """Read what CMD printed within timeout seconds; False at its EOF."""
    global buf, eof
    if eof:
        time.sleep(min(timeout, 0.2))
        return False
    r, _, _ = select.select([proc.stdout], [], [], timeout)
    if r:
        d = os.read(proc.stdout.fileno(), 65536)
        if not d:
            eof = True
            return False
        buf += d
        log.write(d)
        log.flush()
    return True


def finish(rc):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    log.close()
    sys.exit(rc)


# Killed (a suite's timeout): end CMD too, as on any other way out.
signal.signal(signal.SIGTERM, lambda *_: finish(143))
signal.signal(signal.SIGINT, lambda *_: finish(130))

for step in steps:
    word, _, rest = step.partition(' ')
    if word == 'send':
        text = rest.encode().decode('unicode_escape').encode('latin-1')
        try:
            proc.stdin.write(text)
            proc.stdin.flush()
        except BrokenPipeError:
            pass
    elif word == 'expect':
        name, secs, regex = rest.split(' ', 2)
        pattern = re.compile(regex.encode())
        deadline = time.time() + float(secs)
        while True:
            m = pattern.search(buf, pos)
            if m:
                pos = m.end()
                print('reached', name, flush=True)
                break
            if time.time() > deadline or (eof and proc.poll() is not None):
                print('missed', name, flush=True)
                finish(1)
            pump(0.2)
    elif word == 'exit':
        name, secs = rest.split(' ')
        deadline = time.time() + float(secs)
        while proc.poll() is None or not eof:
            if time.time() > deadline:
                print('missed', name, flush=True)
                finish(1)
            pump(0.2)
        print('exited', name, proc.returncode, flush=True)
    else:
        print('serial-steps: bad step:', step, file=sys.stderr)
        finish(2)
finish(0)
