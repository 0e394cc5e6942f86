#!/usr/bin/env bash
# Commits the publish directory DIR (its images and SHA256SUMS*) as the new tip of BRANCH and pushes
# it, so that the branch (served by GitHub Pages or a web server) is the publish directory.
# The remote is PUBLISH_REMOTE, else https://github.com/$GITHUB_REPOSITORY with GITHUB_TOKEN.
# Usage: scripts/ci/push-publish-branch.sh DIR BRANCH
set -euo pipefail
source "$(dirname "$0")/common.sh"
(($# == 2)) || die "usage: push-publish-branch.sh DIR BRANCH"
dir=$1 branch=$2
[[ -f $dir/SHA256SUMS ]] || die "$dir: no SHA256SUMS (run publish.sh first)"
remote=${PUBLISH_REMOTE:-}
if [[ -z $remote ]]; then
  [[ -n ${GITHUB_REPOSITORY:-} && -n ${GITHUB_TOKEN:-} ]] || die "set PUBLISH_REMOTE, or GITHUB_REPOSITORY and GITHUB_TOKEN"
  remote=https://x-access-token:$GITHUB_TOKEN@github.com/$GITHUB_REPOSITORY
fi
cd "$dir"
if [[ ! -d .git ]]; then
  git init -q
fi
git checkout -q -B "$branch"
git add -A -- '*.raw' 'SHA256SUMS*'
if git diff --cached --quiet; then
  echo "push-publish-branch.sh: nothing new to publish" >&2
  exit 0
fi
git -c user.name="sysext CI" -c user.email="sysext-ci@users.noreply.github.com" \
  commit -q -m "Publish $(git diff --cached --name-only -- '*.raw' | tr '\n' ' ')"
git push -q "$remote" "HEAD:refs/heads/$branch"
echo "push-publish-branch.sh: pushed $(git rev-parse --short HEAD) to $branch" >&2
