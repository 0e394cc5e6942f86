#!/usr/bin/env bash
# Unpacks the bundled CLI (sysext-VERSION-linux-ARCH.tar.gz) into DIR and prints SYSEXT=PATH of its
# bin/sysext, the line GitHub Actions reads from GITHUB_ENV (the other scripts use $SYSEXT).
# Usage: scripts/ci/install.sh TARBALL DIR >> "$GITHUB_ENV"
set -euo pipefail
source "$(dirname "$0")/common.sh"
(($# == 2)) || die "usage: install.sh TARBALL DIR"
tarball=$1 dir=$2
[[ -f $tarball ]] || die "$tarball: no such file"
name=${tarball##*/}
name=${name%-linux-*.tar.gz}
mkdir -p "$dir"
tar -xzf "$tarball" -C "$dir"
dir=$(cd "$dir" && pwd -P)
launcher=$dir/$name/bin/sysext
[[ -x $launcher ]] || die "$tarball has no $name/bin/sysext"
"$launcher" --version >&2
echo "SYSEXT=$launcher"
