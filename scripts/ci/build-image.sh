#!/usr/bin/env bash
# Builds one image of the matrix into OUTDIR: OUTDIR/NAME-VERSION-ARCH.raw. Extra arguments go to
# `sysext create` (e.g. --keyring, --cache, --comp). The image is built reproducibly: the epoch is
# SOURCE_DATE_EPOCH when set, else 0, and is recorded in the image's build manifest.
# Usage: scripts/ci/build-image.sh RECIPE VERSION ARCH OUTDIR [CREATE ARGS...]
set -euo pipefail
source "$(dirname "$0")/common.sh"
(($# >= 4)) || die "usage: build-image.sh RECIPE VERSION ARCH OUTDIR [CREATE ARGS...]"
recipe=$1 version=$2 arch=$3 outdir=$4
shift 4
mkdir -p "$outdir"
"$sysext" create "$recipe" "$version" "$arch" --output "$outdir" "$@"
image=$outdir/$recipe-$version-$arch.raw
[[ -f $image ]] || die "sysext create did not write $image"
"$sysext" verify "$image"
