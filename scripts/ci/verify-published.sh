#!/usr/bin/env bash
# The reproducible-build check of what was published: reads PUBLISHED's SHA256SUMS (a publish
# directory or its URL), checks the signature SHA256SUMS.gpg with gpgv when SYSEXT_VERIFY_KEYRING
# names a binary keyring (import-pubring.gpg), checks each image against its checksum, and runs
# `sysext verify IMAGE --rebuild`: the image is built again from its manifest and must be identical.
# IMAGE names limit the check to those images (e.g. the ones just published); arguments after --
# go to `sysext verify` (e.g. --keyring, --cache, --rewrite-url).
# Usage: scripts/ci/verify-published.sh PUBLISHED [IMAGE...] [-- VERIFY ARGS...]
set -euo pipefail
source "$(dirname "$0")/common.sh"
(($# >= 1)) || die "usage: verify-published.sh PUBLISHED [IMAGE...] [-- VERIFY ARGS...]"
published=$1
shift
only=()
while (($#)) && [[ $1 != -- ]]; do
  only+=("$1")
  shift
done
(($#)) && shift # the --
work=$(mktemp -d "${TMPDIR:-/tmp}/verify-published.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Copies PUBLISHED/NAME to DEST (a download for a URL).
get() {
  case $published in
    http://* | https://*) curl -fsSL --retry 3 -o "$2" "${published%/}/$1" </dev/null ;;
    *) cp "$published/$1" "$2" ;;
  esac
}
get SHA256SUMS "$work/SHA256SUMS" || die "cannot read $published/SHA256SUMS"
if [[ -n ${SYSEXT_VERIFY_KEYRING:-} ]]; then
  get SHA256SUMS.gpg "$work/SHA256SUMS.gpg" || die "cannot read $published/SHA256SUMS.gpg"
  gpgv --keyring "$SYSEXT_VERIFY_KEYRING" "$work/SHA256SUMS.gpg" "$work/SHA256SUMS" \
    || die "$published/SHA256SUMS: bad signature"
fi
checked=0
while read -r sum name; do
  [[ -n ${name:-} ]] || continue
  name=${name#\*}
  if ((${#only[@]})); then
    wanted=false
    for o in "${only[@]}"; do [[ $o == "$name" ]] && wanted=true; done
    $wanted || continue
  fi
  get "$name" "$work/$name" || die "cannot read $published/$name"
  (cd "$work" && printf '%s  %s\n' "$sum" "$name" | sha256sum -c --quiet -) \
    || die "$published/$name does not match its SHA256SUMS line"
  "$sysext" verify "$work/$name" --rebuild "$@" </dev/null
  rm -f "$work/$name"
  checked=$((checked + 1))
done < "$work/SHA256SUMS"
if ((${#only[@]})) && ((checked != ${#only[@]})); then
  die "$published/SHA256SUMS lists $checked of the ${#only[@]} images named"
fi
echo "verify-published.sh: $checked image(s) rebuilt identically" >&2
