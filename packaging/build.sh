#!/usr/bin/env bash
# packaging/build.sh [--no-build]: builds, from this tree, into target/dist/:
#   jecho-VERSION-linux-x86_64.tar.gz   unpack anywhere, run bin/jecho: no JDK needed
#   jecho_VERSION_amd64.deb             /usr/bin/jecho, man pages, bash completion, systemd units
# Both hold the same tree: the jar, a Java runtime linked by jlink with only the modules jecho needs, the
# launcher, the man pages (picocli's generator, made roff by asciidoctor) and the bash completion. The archive
# also holds start-up archives trained on this runtime (packaging/train.sh); the package makes its own where
# it is installed (packaging/debian/postinst).
#
#   --no-build   use the jars and man page sources already built (by 'mvn -B verify', say)
#   JECHO_JDK    the JDK to link the runtime from (default: Temurin 25 where installed, else the default JDK)
#
# Needs: Maven and a JDK 17+, asciidoctor, dpkg-deb (Debian: apt-get install asciidoctor dpkg).
# Reproducible where the tools are: file times are the last commit's (SOURCE_DATE_EPOCH), owners root, gzip
# without names or times. The start-up archives are not byte for byte the same from one build to the next.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
packaging="$root/packaging"
dist="$root/target/dist"
build=yes
[ "${1:-}" = "--no-build" ] && build=

say() { echo "build.sh: $*" >&2; }
fail() { echo "build.sh: $*" >&2; exit 1; }

for tool in asciidoctor dpkg-deb gzip tar; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (Debian: apt-get install asciidoctor dpkg)"
done

# The JDK to link from: Temurin 25 links without jmods (JEP 493) and makes AOT caches; the default JDK
# (17) links from its jmods and gets no application archive (see train.sh).
if [ -n "${JECHO_JDK:-}" ]; then
  jdk="$JECHO_JDK"
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/jlink ]; then
  jdk=/usr/lib/jvm/temurin-25-jdk-amd64
elif [ -n "${JAVA_HOME:-}" ]; then
  jdk="$JAVA_HOME"
else
  jdk="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
[ -x "$jdk/bin/jlink" ] || fail "no jlink in $jdk (set JECHO_JDK to a JDK 17 or newer)"
feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")"
[ -n "$feature" ] && [ "$feature" -ge 17 ] || fail "$jdk is not a JDK 17 or newer"

if [ -n "$build" ]; then
  say "building the jar and the man page sources (mvn package, tests skipped) ..."
  (cd "$root" && mvn -B -q -DskipTests -pl jecho-dist -am package)
fi
jar="$root/jecho-cli/target/jecho.jar"
adoc="$root/jecho-dist/target/man"
[ -f "$jar" ] || fail "$jar is missing: build it (mvn -B package), or drop --no-build"
[ -f "$adoc/jecho-server.adoc" ] || fail "$adoc has no man page sources: build jecho-dist (mvn -B package)"

version="$(unzip -p "$jar" META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: *\([^[:space:]]*\).*/\1/p' | head -n 1)"
[ -n "$version" ] || fail "no Implementation-Version in $jar"
deb_version="${version/-/\~}" # 0.1.0-SNAPSHOT sorts before 0.1.0 as 0.1.0~SNAPSHOT
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
name="jecho-$version"
stage="$work/$name"
mkdir -p "$stage/bin" "$stage/lib" "$stage/share/man/man1" "$stage/share/bash-completion/completions" \
  "$stage/share/jecho/systemd" "$stage/share/doc/jecho"

# The runtime: the modules jdeps finds the jar uses, and the EC crypto module on the JDKs that still have
# it separate (TLS certificates are EC keys; JDK 22+ has it in java.base). Debug information, headers
# and the JDK's own man pages are left out; the default CDS archive is made (the JVM's own classes, for
# when no start-up archive applies), without its copy for heaps over 32 GB.
modules="$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$feature" "$jar" | tail -n 1)"
if "$jdk/bin/java" --list-modules | grep -q '^jdk.crypto.ec@'; then
  modules="$modules,jdk.crypto.ec"
fi
say "linking a Java $feature runtime from $jdk: $modules"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$stage/lib/runtime" >/dev/null
rm -f "$stage/lib/runtime/lib/server/classes_nocoops.jsa"

cp "$jar" "$stage/lib/jecho.jar"
# Netty's native transports, out of the jar once: Netty loads them from java.library.path (the launcher
# points it here) before it would copy them out of the jar to a temporary file, which it does on every start.
mkdir -p "$stage/lib/native"
unzip -q -j "$jar" 'META-INF/native/libnetty_transport_native_*.so' -d "$stage/lib/native"
# JLine's terminal library likewise (the launcher gives its directory as library.jline.path): JLine otherwise
# copies it out of the jar into /tmp at every start of the REPL, and a REPL that is killed leaves the copy there.
unzip -q -j "$jar" 'org/jline/nativ/Linux/x86_64/libjlinenative.so' -d "$stage/lib/native"
cp "$packaging/jvm-flags.sh" "$stage/lib/jvm-flags.sh"
sed "s/@FEATURE@/$feature/" "$packaging/jecho.sh" > "$stage/bin/jecho"
chmod 0755 "$stage/bin/jecho"
"$stage/bin/jecho" --version >/dev/null || fail "the linked runtime does not run jecho"

say "man pages ..."
asciidoctor -b manpage -D "$work/man" "$adoc"/*.adoc
for page in "$work/man"/*.1; do
  gzip -9n -c "$page" > "$stage/share/man/man1/$(basename "$page").gz"
done
"$stage/bin/jecho" completion > "$stage/share/bash-completion/completions/jecho"
cp "$packaging/systemd/jecho.service" "$packaging/systemd/jecho.socket" "$stage/share/jecho/systemd/"
cp "$packaging/systemd/jecho.default" "$stage/share/jecho/systemd/jecho.default"
cp "$root/README.md" "$packaging/debian/copyright" "$stage/share/doc/jecho/"

# Every file gets the commit's time before the training runs: an archive records the jar's and the
# runtime's size and time, and the tarball and the package must carry those same times.
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
if [ "$feature" -ge 25 ]; then
  say "training the start-up archives ..."
  "$packaging/train.sh" "$stage/lib/runtime/bin/java" "$stage/lib/jecho.jar" "$stage/lib/start" "$stage/lib/native"
  find "$stage/lib/start" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
else
  say "Java $feature: no start-up archive (its AppCDS archives only work where they were made)"
fi
"$stage/bin/jecho" --version >/dev/null || fail "jecho does not start with its start-up archives"

mkdir -p "$dist"
rm -f "$dist"/jecho-*-linux-x86_64.tar.gz "$dist"/jecho_*_amd64.deb
tarball="$dist/$name-linux-x86_64.tar.gz"
say "$(basename "$tarball") ..."
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -C "$work" -cf - "$name" \
  | gzip -6n > "$tarball"

# The Debian package: the same tree under /usr/lib/jecho, the rest where Debian keeps it.
deb="$work/deb"
mkdir -p "$deb/DEBIAN" "$deb/usr/lib/jecho" "$deb/usr/bin" "$deb/usr/share" "$deb/usr/lib/systemd/system" "$deb/etc/default"
cp -a "$stage/bin" "$stage/lib" "$deb/usr/lib/jecho/"
# The package trains its start-up archives where it is installed (postinst, into /var/cache/jecho): an
# archive made here records this directory's path, and where that path is gone the JVM looks for it again for
# every class it maps (some 700 failed lookups, 12-26 ms of each start; docs/benchmarks.md).
rm -rf "$deb/usr/lib/jecho/lib/start"
cp "$packaging/train.sh" "$deb/usr/lib/jecho/lib/train.sh"
# The package's launcher knows where it is (resolving /usr/bin/jecho's link would cost a readlink process,
# some 6 ms, on every command) and where its archives are.
sed -i -e 's|^self=.*|self=/usr/lib/jecho/bin/jecho|' -e 's|^start=.*|start=/var/cache/jecho|' "$deb/usr/lib/jecho/bin/jecho"
grep -q '^self=/usr/lib/jecho/bin/jecho$' "$deb/usr/lib/jecho/bin/jecho" && grep -q '^start=/var/cache/jecho$' "$deb/usr/lib/jecho/bin/jecho" \
  || fail "the package's launcher does not say where it and its archives are"
ln -s ../lib/jecho/bin/jecho "$deb/usr/bin/jecho"
cp -a "$stage/share/man" "$stage/share/bash-completion" "$stage/share/doc" "$deb/usr/share/"
cp -a "$stage/share/jecho/systemd/jecho.service" "$stage/share/jecho/systemd/jecho.socket" "$deb/usr/lib/systemd/system/"
cp -a "$stage/share/jecho/systemd/jecho.default" "$deb/etc/default/jecho"
installed_size="$(du -sk --apparent-size "$deb/usr" "$deb/etc" | awk '{ s += $1 } END { print s }')"
sed -e "s/@VERSION@/$deb_version/" -e "s/@INSTALLED_SIZE@/$installed_size/" "$packaging/debian/control" > "$deb/DEBIAN/control"
cp "$packaging/debian/conffiles" "$packaging/debian/postinst" "$packaging/debian/prerm" "$packaging/debian/postrm" "$deb/DEBIAN/"
chmod 0755 "$deb/DEBIAN/postinst" "$deb/DEBIAN/prerm" "$deb/DEBIAN/postrm"
find "$deb" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
package="$dist/jecho_${deb_version}_amd64.deb"
say "$(basename "$package") ..."
dpkg-deb --root-owner-group -Zgzip -z6 --build "$deb" "$package" >/dev/null

say "done:"
ls -l "$tarball" "$package" >&2
