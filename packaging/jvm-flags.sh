# shellcheck shell=sh
# The JVM flags jecho runs with, and the start-up archive each command line uses. Sourced (POSIX sh) by
# bin/jecho (a checkout), by the installed launcher (packaging/jecho.sh) and by the start-up archives'
# training runs (packaging/train.sh), which must run with the flags that the archives are then used with.

# jecho_jvm_flags FEATURE KIND: sets JECHO_JVM_FLAGS for a JDK of that feature version (17, 25, ...) and
# a kind of command line (see jecho_kind).
jecho_jvm_flags() {
  # A network server's heap holds connection state that lives long and garbage that dies at once (Netty's
  # buffers are pooled): the serial collector with a small young generation keeps the footprint per
  # connection low and costs a few milliseconds per collection on 2 cores (docs/benchmarks.md).
  JECHO_JVM_FLAGS="--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmn16m"
  if [ "$1" -ge 18 ]; then
    # Reflective calls through the JVM's native accessors, as before JDK 18 (JEP 416), instead of method
    # handles made at the first call of each method: those are classes generated at run time, which no
    # start-up archive keeps, and jecho reflects only while it starts (picocli's model, Netty's native
    # loader). Measured (docs/benchmarks.md, start-up, fifth round): client -m 216 -> 199 ms, REPL 264 -> 242,
    # server 332 -> 316.
    JECHO_JVM_FLAGS="$JECHO_JVM_FLAGS -Djdk.reflect.useNativeAccessorOnly=true"
  fi
  if [ "$1" -ge 22 ]; then
    # Give freed native memory (mostly the JIT compiler's scratch space after warm-up) back to the system
    # instead of keeping it in malloc's arenas: about 20 MB less resident memory after a burst of new code.
    JECHO_JVM_FLAGS="$JECHO_JVM_FLAGS -XX:TrimNativeHeapInterval=500"
  fi
  if [ "$1" -ge 23 ]; then
    # Netty's pooled buffers use sun.misc.Unsafe; JDK 23+ asks for consent instead of warning.
    JECHO_JVM_FLAGS="$JECHO_JVM_FLAGS --sun-misc-unsafe-memory-access=allow"
  fi
  if [ "$1" -ge 25 ]; then
    # 8-byte object headers (JEP 519, a product option from JDK 25): a connection is some 35 small objects,
    # and this takes about 160 bytes off each idle one (docs/benchmarks.md, memory per idle connection).
    JECHO_JVM_FLAGS="$JECHO_JVM_FLAGS -XX:+UseCompactObjectHeaders"
  fi
  case "$2" in
    server|bench) ;;
    *)
      # A command that is over in a fraction of a second: the quick compiler only (the optimizing one
      # would compile for longer than the command runs), and no shared-memory statistics file for jstat.
      JECHO_JVM_FLAGS="$JECHO_JVM_FLAGS -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
      ;;
  esac
}

# jecho_kind ARGS...: sets JECHO_KIND to the start-up archive a command line uses: server, bench, repl
# (client with a terminal on standard input and output and no message to send: the REPL, with its line
# editor), client (a URL and -m/--message values only, which jecho runs without picocli's model:
# ClientCommand.plain), client-options (a client command line with any other option, which picocli
# parses), version (--version alone), or jecho (--help, help, keygen, completion). One archive per kind,
# because JDK 25 loads every class of its archive at start, so a short command must not carry the classes
# of a long one: --version's archive is half the size of the one --help needs.
jecho_kind() {
  case "${1:-}" in
    server|bench) JECHO_KIND=$1 ;;
    client)
      shift
      JECHO_KIND=client
      value=
      urls=0
      for arg in "$@"; do
        if [ -n "$value" ]; then
          value=
          case "$arg" in -*|@*) JECHO_KIND=client-options ;; esac
          continue
        fi
        case "$arg" in
          -m|--message) value=1 ;;
          -*|@*) JECHO_KIND=client-options ;;
          *) urls=$((urls + 1)) ;;
        esac
      done
      if [ -n "$value" ] || [ "$urls" -gt 1 ]; then # a message missing, or a second URL
        JECHO_KIND=client-options
      fi
      if [ -t 0 ] && [ -t 1 ]; then
        repl=1
        for arg in "$@"; do
          case "$arg" in -m|-m?*|--message|--message=*) repl= ;; esac
        done
        if [ -n "$repl" ]; then JECHO_KIND=repl; fi
      fi
      ;;
    -V|--version)
      if [ $# -eq 1 ]; then JECHO_KIND=version; else JECHO_KIND=jecho; fi
      ;;
    *) JECHO_KIND=jecho ;;
  esac
}

# jecho_archive_flag DIR KIND: sets JECHO_ARCHIVE_FLAG to the option that maps DIR's archive for KIND
# (KIND.aot, JDK 25's AOT cache; else KIND.jsa, an AppCDS archive), or to nothing when there is none.
jecho_archive_flag() {
  if [ -f "$1/$2.aot" ]; then
    JECHO_ARCHIVE_FLAG="-XX:AOTCache=$1/$2.aot"
  elif [ -f "$1/$2.jsa" ]; then
    JECHO_ARCHIVE_FLAG="-XX:SharedArchiveFile=$1/$2.jsa -Xlog:cds=off,cds+dynamic=off"
  else
    JECHO_ARCHIVE_FLAG=
  fi
}
