#!/usr/bin/env bash
# Builds the self-contained distribution sysext-VERSION-linux-ARCH.tar.gz (run by the package phase
# of sysext-cli/pom.xml; see "Installing the bundled CLI" in the README):
#   sysext-VERSION/bin/sysext   the launcher (src/dist/bin/sysext)
#   sysext-VERSION/lib/         sysext's jars and their dependencies, a module path
#   sysext-VERSION/runtime/     a Java runtime trimmed by jlink to the JDK modules those jars need
#   sysext-VERSION/share/sysext/ci/  the CI step scripts (scripts/ci), for workflows that install sysext
#   sysext-VERSION/share/sysext/jit-create.json  the JIT directives bin/sysext gives `create`
# The application stays on the module path instead of inside the jlink image because lz4-java is
# an automatic module, which jlink refuses.
# Reproducible: the same inputs give the same tarball bytes (sorted entries, mtimes from
# project.build.outputTimestamp, owner 0/0, normalised modes, gzip without name or time; -6: -9
# takes twice the CPU time for 0.3 % less).
set -euo pipefail

usage() {
  echo "usage: make-dist.sh JMODS_DIR TARGET_DIR APP_JAR VERSION OUTPUT_TIMESTAMP ARCH" >&2
  exit 2
}
(($# == 6)) || usage
jmods=$1 target=$2 app_jar=$3 version=$4 timestamp=$5 arch=$6
here=$(cd "$(dirname "$0")" && pwd -P)
jlink=${JLINK:-jlink}

# The JDK modules the jars need to resolve and run, found with jdeps and by trial:
# - java.desktop, java.logging: commons-compress and commons-lang3 require them (not static);
# - java.naming, java.sql, java.logging: Bouncy Castle requires them;
# - java.net.http: sysext-fetch's downloads;
# - jdk.unsupported: lz4-java's sun.misc.Unsafe access (an automatic module reads it only if present);
# - jdk.crypto.ec: the elliptic curves of TLS (without it HTTPS to GitHub fails the handshake);
# - jdk.zipfs: the recipe catalog reads its recipe directories from its jar as a zip file system.
# jdk.httpserver is for tests only and stays out.
modules=java.base,java.desktop,java.logging,java.naming,java.net.http,java.sql,jdk.crypto.ec,jdk.unsupported,jdk.zipfs
# No debug attributes, man pages or headers; no CDS archive (--generate-cds-archive is not
# reproducible: two dumps differ; bin/sysext makes its archives at first run instead).
jlink_options=(--strip-debug --no-man-pages --no-header-files --compress=0)

work=$target/dist
name=sysext-$version
stage=$work/stage/$name
runtime=$work/runtime

# The jlink image is cached across builds of the same target directory: same JDK, modules, options.
stamp="$(cat "$jmods/../release" 2>/dev/null || true)|$jmods|$modules|${jlink_options[*]}|$arch"
if [[ ! -f $work/runtime.stamp || $(cat "$work/runtime.stamp") != "$stamp" || ! -x $runtime/bin/java ]]; then
  rm -rf "$runtime" "$work/runtime.stamp"
  mkdir -p "$work"
  "$jlink" --module-path "$jmods" --add-modules "$modules" "${jlink_options[@]}" --output "$runtime"
  printf '%s' "$stamp" > "$work/runtime.stamp"
fi

rm -rf "$work/stage"
mkdir -p "$stage/bin" "$stage/lib" "$stage/share/sysext/ci"
cp -a "$runtime" "$stage/runtime"
cp "$app_jar" "$stage/lib/"
for jar in "$target"/lib/*.jar; do cp "$jar" "$stage/lib/"; done
cp "$here/../../../LICENSE" "$stage/LICENSE"
cp "$here"/../../../scripts/ci/*.sh "$stage/share/sysext/ci/"
cp "$here/share/sysext/jit-create.json" "$stage/share/sysext/"
# The launcher's key for its class data sharing archives: a digest of the runtime and the jars.
build_id=$(cd "$stage" && LC_ALL=C find runtime lib -type f -print0 | LC_ALL=C sort -z \
  | xargs -0 sha256sum | sha256sum | cut -c1-16)
sed "s/@BUILD_ID@/$build_id/" "$here/bin/sysext" > "$stage/bin/sysext"
chmod 755 "$stage/bin/sysext"

epoch=$(date -u -d "$timestamp" +%s)
out=$target/$name-linux-$arch.tar.gz
LC_ALL=C tar --sort=name --format=gnu --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
  --mode='u+rwX,go+rX,go-w' -C "$work/stage" -cf - "$name" | gzip -6 -n > "$out.tmp"
mv -f "$out.tmp" "$out"
rm -rf "$work/stage"
