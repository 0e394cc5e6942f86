#!/usr/bin/env bash
# Checks that the build is reproducible: builds this checkout twice, from two copies at different
# paths, and fails if any artifact differs (every jar and tarball under */target/, byte for byte).
# For each artifact that differs it prints the entries that differ.
# Usage: scripts/check-reproducible.sh [--reuse-checkout-build] [MAVEN ARGS...]
#   MAVEN ARGS default to -o (the local repository only): run it after a normal build, so that the
#   plugins are already in ~/.m2.
#   --reuse-checkout-build: the first build is the one already in this checkout's */target/ (CI's
#   mvn verify made it); only the second copy is built, which halves the time.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd -P)
reuse=false
if [[ ${1:-} == --reuse-checkout-build ]]; then
  reuse=true
  shift
fi
mvn_args=("$@")
((${#mvn_args[@]})) || mvn_args=(-o)

work=$(mktemp -d "${TMPDIR:-/tmp}/sysext-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Two different paths (and lengths), so that a build path leaking into an artifact shows.
first=$work/a
second=$work/second-build/sysext
mkdir -p "$first" "$second"
# The checkout as git sees it (tracked and untracked files, not ignored ones such as target/).
(cd "$src" && git ls-files -z --cached --others --exclude-standard) > "$work/files"
if $reuse; then
  rmdir "$first"
  first=$src
fi
for dir in "$first" "$second"; do
  [[ $dir == "$src" ]] && continue
  (cd "$src" && tar --null -T "$work/files" -cf - 2>/dev/null) | tar -xf - -C "$dir"
done

for dir in "$first" "$second"; do
  [[ $dir == "$src" ]] && continue
  echo "check-reproducible: building in $dir" >&2
  (cd "$dir" && mvn -B -q "${mvn_args[@]}" package -DskipTests) >"$dir.log" 2>&1 || {
    cat "$dir.log" >&2
    echo "check-reproducible: the build in $dir failed" >&2
    exit 1
  }
done

(cd "$first" && find . -mindepth 3 -maxdepth 3 -path './*/target/*' -type f \( -name '*.jar' -o -name '*.tar.gz' \)) \
  | LC_ALL=C sort > "$work/list-a"
(cd "$second" && find . -mindepth 3 -maxdepth 3 -path './*/target/*' -type f \( -name '*.jar' -o -name '*.tar.gz' \)) \
  | LC_ALL=C sort > "$work/list-b"
# The checkout's target/ may hold more than a package build makes; what the copy made must be there.
$reuse && comm -12 "$work/list-a" "$work/list-b" > "$work/list-a.common" && mv "$work/list-a.common" "$work/list-a"
if ! diff -u "$work/list-a" "$work/list-b"; then
  echo "check-reproducible: the two builds made different sets of artifacts" >&2
  exit 1
fi
[[ -s $work/list-a ]] || { echo "check-reproducible: no artifacts found" >&2; exit 1; }

# Lists an archive's entries with a checksum each, so that two lists show which entries differ.
entries() {
  local file=$1 out=$2
  rm -rf "$out" && mkdir -p "$out"
  case $file in
    *.jar) (cd "$out" && unzip -qq -o "$file") ;;
    *.tar.gz) tar -xzf "$file" -C "$out" ;;
  esac
  (cd "$out" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}

status=0
while IFS= read -r artifact; do
  if cmp -s "$first/$artifact" "$second/$artifact"; then
    echo "same      $artifact"
    continue
  fi
  status=1
  echo "DIFFERENT $artifact"
  entries "$first/$artifact" "$work/x-a" > "$work/entries-a"
  entries "$second/$artifact" "$work/x-b" > "$work/entries-b"
  if diff "$work/entries-a" "$work/entries-b" | sed 's/^/    /'; then
    echo "    (same entries and contents: the archive metadata differs, e.g. times, order, owners)"
    case $artifact in
      *.jar) diff <(unzip -Z -l "$first/$artifact") <(unzip -Z -l "$second/$artifact") | sed 's/^/    /' | head -20 ;;
      *.tar.gz) diff <(tar -tvzf "$first/$artifact") <(tar -tvzf "$second/$artifact") | sed 's/^/    /' | head -20 ;;
    esac
  fi
done < "$work/list-a"
if ((status)); then
  echo "check-reproducible: the build is not reproducible" >&2
else
  echo "check-reproducible: $(wc -l < "$work/list-a") artifacts identical in both builds" >&2
fi
exit $status
