#!/usr/bin/env bash
# Prints the image names of a `sysext plan --json` matrix, one a line (no jq needed).
# Usage: scripts/ci/matrix-images.sh MATRIX_JSON
set -euo pipefail
(($# == 1)) || { echo "usage: matrix-images.sh MATRIX_JSON" >&2; exit 1; }
# Image names are NAME-VERSION-ARCH.raw: no quotes or backslashes to unescape.
{ grep -o '"image":"[^"]*"' <<< "$1" || true; } | sed 's/^"image":"//; s/"$//'
