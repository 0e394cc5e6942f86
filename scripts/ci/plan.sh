#!/usr/bin/env bash
# Prints the build matrix: the images PUBLISHED (a publish directory, its SHA256SUMS, or a URL) is
# missing, as {"include":[{"recipe","version","arch","image"}, ...]}. Extra arguments go to
# `sysext plan` (extension names, --latest, --versions, --arch, --rewrite-url).
# In GitHub Actions (GITHUB_OUTPUT set) it also writes the outputs matrix=JSON and count=N.
# Usage: scripts/ci/plan.sh PUBLISHED [PLAN ARGS...]
set -euo pipefail
source "$(dirname "$0")/common.sh"
(($# >= 1)) || die "usage: plan.sh PUBLISHED [PLAN ARGS...]"
published=$1
shift
matrix=$("$sysext" plan --published "$published" --json "$@")
count=$( (grep -o '"image":' <<< "$matrix" || true) | wc -l)
printf '%s\n' "$matrix"
echo "plan.sh: $count image(s) to build" >&2
if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  printf 'matrix=%s\ncount=%s\n' "$matrix" "$count" >> "$GITHUB_OUTPUT"
fi
