#!/usr/bin/env python3
"""For bench/startup.sh: runs a command until it shows it is ready, then kills it, so that hyperfine can
time exec-to-ready.

  startup_probe.py listen CMD...   until CMD prints a line starting with "listening on" (jecho server)
  startup_probe.py prompt CMD...   until CMD, on a pseudo-terminal, shows the ">>> " prompt (the REPL)

Exits 0 when it saw the sign, 1 if CMD ended or 30 s passed first. CMD is killed (SIGKILL) either way.
"""
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time


def wait_for(fd, sign, proc):
    deadline = time.monotonic() + 30
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            if proc.poll() is not None:
                return False
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        seen += chunk
        if sign in seen:
            return True
    return False


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("listen", "prompt"):
        sys.stderr.write(__doc__)
        return 2
    mode, cmd = sys.argv[1], sys.argv[2:]
    if mode == "listen":
        read_fd, write_fd = os.pipe()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=write_fd, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        ok = wait_for(read_fd, b"listening on", proc)
    else:
        leader, follower = pty.openpty()
        # a terminal of 24 rows of 80 columns (a new pseudo-terminal has none: JLine then cannot draw a prompt)
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        proc = subprocess.Popen(cmd, stdin=follower, stdout=follower, stderr=follower, start_new_session=True, env=env)
        os.close(follower)
        ok = wait_for(leader, b">>> ", proc)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
