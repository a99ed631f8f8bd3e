#!/bin/sh
# packaging/train.sh JAVA JAR DIR [NATIVE]: makes jecho's start-up archives in DIR, one per kind of command line
# (jecho_kind in jvm-flags.sh): JDK 25's AOT caches (KIND.aot, JEP 483/514: classes loaded and linked),
# or on older JDKs AppCDS archives (KIND.jsa, classes loaded). Each comes from a
# training run (dev.jecho.cli.Training) with the flags the launcher uses for that kind; the client, REPL
# and benchmark runs talk to a server started here, on loopback ports the kernel picks, stopped at the end.
#
# An archive is valid only with the same JVM and the same jar (size and time): make them after the jar
# and the runtime are final. JDK 25 accepts a jar moved elsewhere with its archive (the archive and the
# package are built in one place and installed in another); JDK 17 does not, so packaging/build.sh makes
# no application archive on JDK 17, and bin/jecho makes one next to the jar it runs.
#
# NATIVE: the directory of Netty's and JLine's native libraries that the launcher gives as java.library.path
# and library.jline.path (the package's lib/native). The training runs must load them from there too: without it Netty copies the
# library out of the jar to a temporary file, and the archive holds, and spends its start-up on, the
# classes of that copy (temporary files, secure random names) which the installed command never uses.
set -eu

java=$1
jar=$2
out=$3
library_path=
[ -n "${4:-}" ] && library_path="-Djava.library.path=$4 -Dlibrary.jline.path=$4"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/jvm-flags.sh"

home=$(dirname "$(dirname "$(readlink -f "$java")")")
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)
[ -n "$feature" ] || { echo "train.sh: cannot tell the version of $java (no $home/release)" >&2; exit 1; }

mkdir -p "$out"
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# on_a_terminal KIND COMMAND...: runs COMMAND; for the REPL, on a pseudo-terminal (util-linux script) that
# types a line and exit, so that its archive holds the classes of the system terminal it runs on (where
# script is missing, the REPL's training uses a terminal made in memory only).
on_a_terminal() {
  if [ "$1" = repl ] && command -v script >/dev/null 2>&1; then
    shift
    line=
    for word in "$@"; do line="$line '$word'"; done
    printf 'hi\nexit\n' | script -qec "$line" /dev/null
  else
    shift
    "$@"
  fi
}

# train KIND ARGS...: one training run, writing $out/KIND.aot or $out/KIND.jsa
train() {
  kind=$1
  shift
  jecho_jvm_flags "$feature" "$kind"
  rm -f "$out/$kind.aot" "$out/$kind.jsa"
  if [ "$feature" -ge 25 ]; then
    # Classes loaded and linked (JEP 483, 514), without the method profiles of JEP 515
    # (-XX:-AOTRecordTraining): a JVM that maps profiles compiles the methods they name on a thread of its
    # own at start, competing on two cores with the command it starts. Measured (docs/benchmarks.md,
    # start-up, fifth round): without them client -m 222 -> 210 ms, REPL 286 -> 262, server 433 -> 392.
    archive="-XX:AOTCacheOutput=$out/$kind.aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -Xlog:aot=error"
  else
    archive="-XX:ArchiveClassesAtExit=$out/$kind.jsa -Xlog:cds=error"
  fi
  # A second try when the first fails: its steps are bounded in time, which a machine busy enough can exceed.
  # shellcheck disable=SC2086
  if ! on_a_terminal "$kind" "$java" $JECHO_JVM_FLAGS $archive $library_path -cp "$jar" dev.jecho.cli.Training "$kind" "$@" \
      >"$work/$kind.log" 2>&1 \
    && ! on_a_terminal "$kind" "$java" $JECHO_JVM_FLAGS $archive $library_path -cp "$jar" dev.jecho.cli.Training "$kind" "$@" \
      >"$work/$kind.log" 2>&1; then
    cat "$work/$kind.log" >&2
    echo "train.sh: the $kind training run failed twice" >&2
    exit 1
  fi
  if [ ! -s "$out/$kind.aot" ] && [ ! -s "$out/$kind.jsa" ]; then
    cat "$work/$kind.log" >&2
    echo "train.sh: the $kind training run made no archive" >&2
    exit 1
  fi
}

train version
train jecho
train server

# A server for the client, REPL and benchmark runs (with no archive: it is not what is measured here).
jecho_jvm_flags "$feature" server
# shellcheck disable=SC2086
"$java" $JECHO_JVM_FLAGS -jar "$jar" server --tcp 127.0.0.1:0 --udp 127.0.0.1:0 --unix "$work/jecho.sock" \
  --no-connection-log >"$work/banner" 2>"$work/server.log" &
server_pid=$!
tries=0
while [ "$(grep -c '^listening on ' "$work/banner" 2>/dev/null || true)" -lt 3 ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 600 ] || ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$work/banner" "$work/server.log" >&2
    echo "train.sh: the training server did not start" >&2
    exit 1
  fi
  sleep 0.1
done
urls=$(sed -n 's/^listening on //p' "$work/banner")
tcp=$(echo "$urls" | grep '^tcp://' | head -n 1)
udp=$(echo "$urls" | grep '^udp://' | head -n 1)
unix=$(echo "$urls" | grep '^unix:' | head -n 1)

train client "$tcp"
train client-options "$tcp" "$udp" "$unix"
train repl "$tcp"
train bench "$tcp"

kill "$server_pid" # SIGTERM: a background job of a script ignores SIGINT
wait "$server_pid" || true
server_pid=
