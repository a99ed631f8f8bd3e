#!/usr/bin/env python3
"""A supervisor that hands listening sockets over as systemd's socket activation does (sd_listen_fds(3)).

    socket-activate.py [--blocking] tcp:HOST:PORT udp:HOST:PORT unix:PATH ... -- COMMAND ARGS...

Binds each socket (port 0: a free port), prints "socket ENDPOINT" for each, then runs COMMAND with them as
descriptors 3, 4, ... (non-blocking, as NonBlocking=yes makes them; blocking with --blocking, systemd's
default) and LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES set. The sockets stay open here, so
SIGHUP restarts COMMAND (SIGTERM, wait, print "restarting", run again) with nothing refused meanwhile:
connections queue in the kernel. SIGTERM stops COMMAND and exits with its status. COMMAND dies with this
process (PR_SET_PDEATHSIG), so a supervisor killed outright leaves nothing running.
"""
import ctypes
import fcntl
import os
import signal
import socket
import sys

PR_SET_PDEATHSIG = 1


def bind(spec):
    kind, _, rest = spec.partition(":")
    if kind == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(rest)
        s.listen(128)
        return s, "unix:" + rest
    host, _, port = rest.rpartition(":")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
    s.bind((host, int(port)))
    if kind == "tcp":
        s.listen(128)
    return s, "%s://%s:%d" % (kind, host, s.getsockname()[1])


def start(sockets, names, command):
    pid = os.fork()
    if pid:
        return pid
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # out of the way first, so that no socket's own descriptor is overwritten before it is moved
    high = [fcntl.fcntl(s.fileno(), fcntl.F_DUPFD, 100) for s in sockets]
    for i, fd in enumerate(high):
        os.dup2(fd, 3 + i)  # dup2's copy is inheritable
        os.close(fd)
    os.environ.update(LISTEN_PID=str(os.getpid()), LISTEN_FDS=str(len(sockets)), LISTEN_FDNAMES=":".join(names))
    os.execvp(command[0], command)


def main():
    split = sys.argv.index("--")
    specs = [a for a in sys.argv[1:split] if a != "--blocking"]
    bound = [bind(spec) for spec in specs]
    command = sys.argv[split + 1:]
    sockets = [s for s, _ in bound]
    for s in sockets:
        s.setblocking("--blocking" in sys.argv[1:split])
    names = [spec.partition(":")[0] for spec in specs]
    for _, endpoint in bound:
        print("socket " + endpoint, flush=True)
    watched = {signal.SIGHUP, signal.SIGTERM, signal.SIGCHLD}
    signal.pthread_sigmask(signal.SIG_BLOCK, watched)
    child = start(sockets, names, command)
    while True:
        sig = signal.sigwait(watched)
        if sig == signal.SIGCHLD:
            done, status = os.waitpid(child, os.WNOHANG)
            if done:
                sys.exit(os.waitstatus_to_exitcode(status))
        elif sig == signal.SIGHUP:
            os.kill(child, signal.SIGTERM)
            os.waitpid(child, 0)
            print("restarting", flush=True)
            child = start(sockets, names, command)
        else:
            os.kill(child, signal.SIGTERM)
            _, status = os.waitpid(child, 0)
            sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
