#!/bin/sh
# jecho, installed (the archive's bin/jecho; /usr/bin/jecho links here): runs jecho's jar on the Java
# runtime beside it, with the JVM flags and the start-up archive made for this kind of command line.
#
#   JECHO_OPTS   extra JVM options, e.g. JECHO_OPTS="-Xmx256m" (one that changes the garbage collector
#                makes the start-up archive unusable: jecho then starts as fast as a plain JVM)
self=$(readlink -f "$0")
lib=${self%/bin/*}/lib
start=$lib/start
. "$lib/jvm-flags.sh"
jecho_kind "$@"
jecho_jvm_flags @FEATURE@ "$JECHO_KIND"
jecho_archive_flag "$start" "$JECHO_KIND"
# The jar on the class path with its main class named, not -jar: the JVM then need not read the jar's
# manifest before it starts (some 6 ms); the manifest's one other setting, native access, is a flag here.
# shellcheck disable=SC2086
exec "$lib/runtime/bin/java" $JECHO_JVM_FLAGS $JECHO_ARCHIVE_FLAG -Djava.library.path="$lib/native" \
  -Dlibrary.jline.path="$lib/native" ${JECHO_OPTS:-} \
  -cp "$lib/jecho.jar" dev.jecho.cli.Main "$@"
