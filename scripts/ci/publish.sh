#!/usr/bin/env bash
# Adds the images in IMAGEDIR... to the publish directory PUBLISH and writes its SHA256SUMS (signed
# into SHA256SUMS.gpg when SYSEXT_SIGN_KEY names a secret key file; its passphrase, if any, in the
# environment variable SYSEXT_SIGN_PASSPHRASE). An image already published under the same name must
# have the same bytes: published images never change.
# Usage: scripts/ci/publish.sh PUBLISH IMAGEDIR...
set -euo pipefail
source "$(dirname "$0")/common.sh"
(($# >= 2)) || die "usage: publish.sh PUBLISH IMAGEDIR..."
publish=$1
shift
mkdir -p "$publish"
added=0
for dir in "$@"; do
  [[ -d $dir ]] || die "$dir: not a directory"
  for image in "$dir"/*.raw; do
    [[ -f $image ]] || continue
    name=${image##*/}
    if [[ -e $publish/$name ]]; then
      cmp -s "$image" "$publish/$name" || die "$publish/$name is already published with other bytes than $image"
      continue
    fi
    cp "$image" "$publish/.$name.partial"
    mv "$publish/.$name.partial" "$publish/$name"
    added=$((added + 1))
  done
done
release=("$sysext" release "$publish")
if [[ -n ${SYSEXT_SIGN_KEY:-} ]]; then
  release+=(--sign-key "$SYSEXT_SIGN_KEY")
  if [[ -n ${SYSEXT_SIGN_PASSPHRASE:-} ]]; then
    release+=(--passphrase-env SYSEXT_SIGN_PASSPHRASE)
  fi
fi
"${release[@]}"
echo "publish.sh: $added image(s) added to $publish" >&2
