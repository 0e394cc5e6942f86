#!/usr/bin/env bash
# Compares `sysext mkerofs` with erofs-utils' mkfs.erofs on the corpus of compare.sh (the JDK under
# $JAVA_HOME without jmods/, plus the files of /usr/bin under 1 MiB: about 230 MiB), built by the
# same code (corpus.sh) in the same work directory.
#
# Method, as compare.sh: the corpus is read once to warm the page cache; in every round the tools
# run alternately (mkfs.erofs first in odd rounds, last in even rounds), each under GNU
# `/usr/bin/time -v`, and dev.sysext.benchmarks.compare.CompareReport prints the medians: wall time,
# CPU time (user + sys), image size and peak RSS, with the ratios sysext/mkfs.erofs, and issue 15's
# target (lz4hc with 2 threads: at most 0.5 of mkfs.erofs' wall time, image size at most 1.02 of it).
# mkfs.erofs 1.5 has no threads: it runs once per round and case, and that run is the reference of
# every thread count sysext runs with (the runs file repeats its line for each).
#
# How the two tools are made to do the same work:
#   case          mkfs.erofs                                 sysext mkerofs
#   lz4hc-12-64k  -zlz4hc,12 -C65536 -Eztailpacking         --comp lz4hc,12 --cluster-size 64K
#                 (the bakery's settings without -Efragments, which erofs-utils 1.5 lacks)
#   lz4hc         -zlz4hc -Eztailpacking                     --comp lz4hc --cluster-size 4K
#                 (default level 9 and mkfs.erofs' default physical cluster of one block)
#   lz4           -zlz4 -Eztailpacking                       --comp lz4 --cluster-size 4K
#   none          (no -z)                                    --comp none
#   tail packing  sysext always packs a compressed file's last extent after its inode when it fits,
#                 so mkfs.erofs gets -Eztailpacking on every compressed case
#   times         -T 1700000000 (build time and every mtime)  --mkfs-time 1700000000 --all-time 1700000000
#   UUID          -U 00000000-0000-0000-0000-000000000000     (sysext always writes the zero UUID)
#   owners        --all-root                                  --all-root
#   xattrs        -x -1                                       --no-xattrs
#   threads       (one)                                       --threads N
# After the first round of each case and thread count the two images are mounted
# (mount -t erofs -o loop,ro; root only) and must hold identical trees: path, type, size, mode,
# owner, link count, mtime, symlink target and the SHA-256 of every file's content. A difference
# stops the script with exit status 1. fsck.erofs checks sysext's image too, where it is installed.
# The JVM options of ./sysext come from SYSEXT_JAVA_OPTS, e.g. a JFR recording.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=corpus.sh
. "$here/corpus.sh"

usage() {
  cat <<EOF
usage: benchmarks/erofs-compare.sh [options]
  --cases LIST        comma-separated cases (default: lz4hc-12-64k,lz4hc,lz4,none):
                      lz4hc-L-SIZEk (level L, physical clusters of SIZE KiB), lz4hc, lz4, none
  --threads LIST      comma-separated thread counts for sysext (default: 1,2)
  --rounds N          rounds per case; the table shows medians (default: 3)
  --quick             one round of lz4hc-12-64k with 2 threads on the corpus' usr-bin/ only (a smoke test)
  --keep-images       keep the first round's images (default: deleted once checked)
  --work DIR          work directory for the corpus, images and results (default: $repo/bench-work)
  -h, --help          this help
Needs: mkfs.erofs (erofs-utils), root (to mount the images), GNU time (/usr/bin/time; apt-get install
-y time), java, and a build: mvn -B -q package -DskipTests
EOF
}

die() { echo "erofs-compare: error: $*" >&2; exit 2; }

cases=lz4hc-12-64k,lz4hc,lz4,none
threads=1,2
rounds=3
quick=false
keep_images=false
work=$repo/bench-work
while (($#)); do
  case $1 in
    --cases) cases=${2:?--cases needs a list}; shift 2 ;;
    --threads) threads=${2:?--threads needs a list}; shift 2 ;;
    --rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
    --quick) cases=lz4hc-12-64k; threads=2; rounds=1; quick=true; shift ;;
    --keep-images) keep_images=true; shift ;;
    --work) work=${2:?--work needs a directory}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds '$rounds' is not a positive number"
IFS=, read -r -a case_list <<<"$cases"
IFS=, read -r -a thread_list <<<"$threads"
for t in "${thread_list[@]}"; do
  [[ $t =~ ^[1-9][0-9]*$ ]] || die "--threads: '$t' is not a positive number"
done

# The two tools' compression arguments for a case.
mkfs_comp() {
  case $1 in
    lz4hc-[1-9]-[1-9]*k | lz4hc-1[0-2]-[1-9]*k)
      local rest=${1#lz4hc-}
      local kib=${rest#*-}
      echo "-zlz4hc,${rest%%-*} -C$((10#${kib%k} * 1024)) -Eztailpacking" ;;
    lz4hc) echo "-zlz4hc -Eztailpacking" ;;
    lz4) echo "-zlz4 -Eztailpacking" ;;
    none) echo "" ;;
    *) return 1 ;;
  esac
}
sysext_comp() {
  case $1 in
    lz4hc-*-*k) local rest=${1#lz4hc-}; echo "--comp lz4hc,${rest%%-*} --cluster-size ${rest#*-}" | tr k K ;;
    lz4hc) echo "--comp lz4hc --cluster-size 4K" ;;
    lz4) echo "--comp lz4 --cluster-size 4K" ;;
    none) echo "--comp none" ;;
  esac
}
for c in "${case_list[@]}"; do
  [[ $c =~ ^(lz4hc-([1-9]|1[0-2])-[1-9][0-9]*k|lz4hc|lz4|none)$ ]] && mkfs_comp "$c" >/dev/null \
    || die "unknown case '$c' (lz4hc-L-SIZEk with L 1..12, lz4hc, lz4, none)"
done

command -v mkfs.erofs >/dev/null || die "mkfs.erofs is missing (apt-get install -y erofs-utils)"
((EUID == 0)) || die "mounting the images to compare them needs root"
bench_prerequisites
"$repo/sysext" mkerofs --help >/dev/null 2>&1 \
  || die "'$repo/sysext mkerofs' does not run; build first: mvn -B -q package -DskipTests"

bench_corpus "$work"
source_tree=$corpus
# The quick mode's tree: the files from /usr/bin (about 48 MiB of the corpus' 230).
if $quick; then source_tree=$corpus/usr-bin; fi

results=$work/results/erofs-$(date -u +%Y%m%dT%H%M%SZ)
images=$work/images
mnt=$work/mnt
mkdir -p "$results" "$images"
runs=$results/runs.tsv
: >"$runs"

time_stamp=1700000000
uuid=00000000-0000-0000-0000-000000000000

{
  echo "date:       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine:    $(bench_machine)"
  echo "mkfs.erofs: $({ mkfs.erofs 2>&1 || true; } | sed -n 's/^mkfs.erofs //p')"
  echo "java:       $(java -version 2>&1 | head -n1)"
  echo "rounds:     $rounds"
  bench_describe "$source_tree"
} | tee "$results/about.txt"

echo "erofs-compare: warming the page cache"
bench_warm "$source_tree"

# Runs one tool once and appends its lines to runs.tsv: sysext for thread count $3; mkfs.erofs once,
# recorded for every thread count.
measure() {
  local tool=$1 case=$2 n=$3 round=$4
  local image name status=0 size=0 cmd
  name=$case.$n.$tool.$round
  image=$images/$name.erofs
  rm -f "$image"
  if [[ $tool == mkfs.erofs ]]; then
    # shellcheck disable=SC2207
    cmd=(mkfs.erofs --quiet $(mkfs_comp "$case") -T"$time_stamp" -U"$uuid" --all-root -x-1 "$image" "$source_tree")
  else
    # shellcheck disable=SC2207
    cmd=("$repo/sysext" mkerofs "$source_tree" "$image" $(sysext_comp "$case") --threads "$n"
      --mkfs-time "$time_stamp" --all-time "$time_stamp" --all-root --no-xattrs)
  fi
  /usr/bin/time -v -o "$results/$name.time" "${cmd[@]}" >"$results/$name.log" 2>&1 || status=$?
  [[ -f $image ]] && size=$(stat -c %s "$image")
  if [[ $tool == mkfs.erofs ]]; then
    local t
    for t in "${thread_list[@]}"; do
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$t" "$tool" "$round" "$status" "$size" "$name.time" >>"$runs"
    done
  else
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$n" "$tool" "$round" "$status" "$size" "$name.time" >>"$runs"
  fi
  printf 'erofs-compare: %-13s %-2s %-10s round %d: %s, exit %d, %d bytes\n' \
    "$case" "$([[ $tool == mkfs.erofs ]] && echo - || echo "$n")" "$tool" "$round" "$(bench_wall "$results/$name.time")" \
    "$status" "$size"
  if ((status != 0)); then
    echo "erofs-compare: $tool failed; its output is in $results/$name.log:" >&2
    tail -n 5 "$results/$name.log" >&2
  fi
}

# One line per entry of a mounted tree: path, type, size (files and symlinks), mode, owner, links,
# mtime, symlink target, content hash. Directory sizes are left out: they count dirent bytes, which
# the two tools lay out alike but need not.
listing() {
  (cd "$1" && {
    find . -printf '%p\t%y\t%m\t%U:%G\t%n\t%T@\t%l\t' \( -type d -printf 'dir\n' -o -printf '%s\n' \)
    find . -type f -exec sha256sum {} + | sed 's/^\([0-9a-f]*\)  \(.*\)$/\2\tsha256\t\1/'
  } | LC_ALL=C sort)
}

unmount_all() {
  local m
  for m in "$mnt/a" "$mnt/b"; do
    if mountpoint -q "$m" 2>/dev/null; then umount "$m"; fi
  done
}
trap unmount_all EXIT

# The images of the two tools must mount and hold the same trees.
check_equivalent() {
  local case=$1 n=$2 a=$images/$1.$2.mkfs.erofs.1.erofs b=$images/$1.$2.sysext.1.erofs
  [[ -f $a && -f $b ]] || { echo "erofs-compare: FAILED: $case $n threads: an image is missing" >&2; exit 1; }
  mkdir -p "$mnt/a" "$mnt/b"
  mount -t erofs -o loop,ro "$a" "$mnt/a" || { echo "erofs-compare: FAILED: mkfs.erofs' image $a does not mount" >&2; exit 1; }
  mount -t erofs -o loop,ro "$b" "$mnt/b" || { echo "erofs-compare: FAILED: sysext's image $b does not mount" >&2; exit 1; }
  listing "$mnt/a" >"$results/$case.$n.mkfs.erofs.list"
  listing "$mnt/b" >"$results/$case.$n.sysext.list"
  unmount_all
  if ! diff "$results/$case.$n.mkfs.erofs.list" "$results/$case.$n.sysext.list" >"$results/$case.$n.diff"; then
    {
      echo "erofs-compare: FAILED: $case $n threads: the two images hold different trees:"
      head -n 20 "$results/$case.$n.diff"
      echo "erofs-compare: the whole difference is in $results/$case.$n.diff; images kept in $images"
    } >&2
    exit 1
  fi
  echo "erofs-compare: $case $n threads: both images mount and hold the same $(wc -l <"$results/$case.$n.sysext.list") entries"
  if command -v fsck.erofs >/dev/null && ! fsck.erofs "$b" >"$results/$case.$n.fsck" 2>&1; then
    echo "erofs-compare: FAILED: fsck.erofs rejects sysext's image $b ($results/$case.$n.fsck)" >&2
    exit 1
  fi
}

for c in "${case_list[@]}"; do
  for ((r = 1; r <= rounds; r++)); do
    # mkfs.erofs first in odd rounds, last in even rounds; sysext's thread counts in between.
    order=()
    for n in "${thread_list[@]}"; do order+=("sysext:$n"); done
    if ((r % 2 == 1)); then order=("mkfs.erofs:${thread_list[0]}" "${order[@]}"); else order+=("mkfs.erofs:${thread_list[0]}"); fi
    for step in "${order[@]}"; do
      measure "${step%%:*}" "$c" "${step#*:}" "$r"
    done
    if ((r == 1)); then
      for n in "${thread_list[@]}"; do
        ln -f "$images/$c.${thread_list[0]}.mkfs.erofs.1.erofs" "$images/$c.$n.mkfs.erofs.1.erofs" 2>/dev/null || true
        check_equivalent "$c" "$n"
      done
      # sysext must write the same bytes whatever its thread count.
      for n in "${thread_list[@]}"; do
        cmp -s "$images/$c.${thread_list[0]}.sysext.1.erofs" "$images/$c.$n.sysext.1.erofs" || {
          echo "erofs-compare: FAILED: $c: sysext's images with ${thread_list[0]} and $n threads differ" >&2
          exit 1
        }
      done
    fi
    if ! $keep_images || ((r > 1)); then rm -f "$images/$c".*."$r".erofs; fi
  done
done

echo
cat "$results/about.txt"
echo
java -cp "$report_jar" dev.sysext.benchmarks.compare.CompareReport "$runs" | tee "$results/table.txt"
echo
echo "erofs-compare: runs, time reports, logs and tree listings are in $results"
if $keep_images; then echo "erofs-compare: first-round images are in $images"; fi
