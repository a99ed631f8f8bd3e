#!/usr/bin/env bash
# Runs jecho's JMH micro-benchmarks (jecho/src/test/java/dev/jecho/jmh).
#
#   bench/jmh.sh                      all benchmarks
#   bench/jmh.sh UpperTransform -f 1  JMH's own options after a name filter
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/jmh.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn -B -q -DskipTests -pl jecho test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test
cp="jecho/target/test-classes:jecho/target/classes:$(cat jecho/target/jmh.classpath)"
exec "$java" -cp "$cp" org.openjdk.jmh.Main "$@"
