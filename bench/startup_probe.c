/*
 * For bench/startup.sh: runs a command until it shows it is ready, then kills it, so that hyperfine can time
 * exec-to-ready. In C because a probe's own start is subtracted from every figure: Python's is 0.1-0.4 s on
 * this kind of machine, this one's a millisecond.
 *
 *   startup_probe listen CMD...   until CMD prints "listening on" on its standard output (jecho server)
 *   startup_probe prompt CMD...   until CMD, on a pseudo-terminal of 24x80, shows the ">>> " prompt (the REPL)
 *
 * Exits 0 when it saw the sign, 1 if CMD ended or 30 s passed first, 2 on a usage error. CMD is killed
 * (SIGKILL, its whole process group) either way.
 *
 *   cc -O2 -o startup_probe bench/startup_probe.c -lutil
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads fd until sign appears (it may straddle two reads), the command ends, or 30 s pass. */
static int wait_for(int fd, const char *sign) {
    char seen[1 << 16];
    size_t used = 0, sign_len = strlen(sign);
    double deadline = now() + 30;
    while (now() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 500) <= 0) continue;
        ssize_t n = read(fd, seen + used, sizeof seen - 1 - used);
        if (n <= 0) return 0; /* ended (EIO on a pseudo-terminal whose last holder closed it) */
        used += (size_t) n;
        seen[used] = '\0';
        if (memmem(seen, used, sign, sign_len)) return 1;
        if (used > sizeof seen / 2) { /* keep only a tail long enough to hold a straddling sign */
            memmove(seen, seen + used - sign_len, sign_len);
            used = sign_len;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[1], "listen") && strcmp(argv[1], "prompt"))) {
        fputs("usage: startup_probe listen|prompt CMD [ARG...]\n", stderr);
        return 2;
    }
    int prompt = !strcmp(argv[1], "prompt");
    int fd;
    pid_t pid;
    if (prompt) {
        struct winsize size = {.ws_row = 24, .ws_col = 80}; /* a new pseudo-terminal has none: JLine then draws no prompt */
        pid = forkpty(&fd, NULL, NULL, &size);
        if (pid == 0) {
            setenv("TERM", "xterm-256color", 1);
            execvp(argv[2], argv + 2);
            _exit(127);
        }
    } else {
        int pipe_fds[2];
        if (pipe(pipe_fds)) { perror("pipe"); return 2; }
        pid = fork();
        if (pid == 0) {
            setpgid(0, 0);
            int null = open("/dev/null", O_RDWR);
            dup2(null, 0);
            dup2(pipe_fds[1], 1);
            dup2(null, 2);
            close(pipe_fds[0]);
            execvp(argv[2], argv + 2);
            _exit(127);
        }
        close(pipe_fds[1]);
        fd = pipe_fds[0];
    }
    if (pid < 0) { perror("fork"); return 2; }
    int ok = wait_for(fd, prompt ? ">>> " : "listening on");
    kill(-pid, SIGKILL); /* its process group: forkpty's child leads a session, the other called setpgid */
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return ok ? 0 : 1;
}
