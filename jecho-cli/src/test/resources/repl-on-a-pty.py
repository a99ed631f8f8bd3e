#!/usr/bin/env python3
"""For ReplOnATerminalTest: runs CMD on a pseudo-terminal of 24 x 80 as a user would: waits for the
">>> " prompt, types a line, waits for REPLY, types exit, and waits for CMD to end. Prints what the
terminal showed; exits 0 when every step happened within 60 s, 1 otherwise (CMD is then killed).

  repl-on-a-pty.py LINE REPLY CMD...
"""
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

DEADLINE = time.monotonic() + 60
seen = b""


def wait_for(fd, sign, proc):
    global seen
    while time.monotonic() < DEADLINE:
        if sign in seen:
            seen = seen[seen.index(sign) + len(sign):]
            return True
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                return sign in seen
            sys.stdout.write(chunk.decode("utf-8", "replace"))
            seen += chunk
        elif proc.poll() is not None and sign not in seen:
            return False
    return False


def main():
    line, reply, cmd = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(cmd, stdin=follower, stdout=follower, stderr=follower, start_new_session=True)
    os.close(follower)
    ok = wait_for(leader, b">>> ", proc)
    if ok:
        os.write(leader, line + b"\r")
        ok = wait_for(leader, reply, proc) and wait_for(leader, b">>> ", proc)
    if ok:
        os.write(leader, b"exit\r")
        ok = wait_for(leader, b"client close", proc)
    try:
        code = proc.wait(timeout=max(1, DEADLINE - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = None
    sys.stdout.write("\n[exit %s]\n" % code)
    return 0 if ok and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
