# Sourced by the scripts in scripts/ci: finds the sysext command.
# SYSEXT names it (e.g. /opt/sysext-0.1.0/bin/sysext); otherwise the sysext on PATH, otherwise the
# ./sysext launcher of this checkout (after mvn package).
if [[ -n ${SYSEXT:-} ]]; then
  sysext=$SYSEXT
elif command -v sysext >/dev/null 2>&1; then
  sysext=sysext
else
  sysext=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)/sysext
fi

die() {
  echo "${0##*/}: $*" >&2
  exit 1
}
