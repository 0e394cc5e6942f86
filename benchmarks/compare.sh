#!/usr/bin/env bash
# Compares `sysext mksquashfs` with squashfs-tools' mksquashfs on a realistic corpus built from
# this machine: the JDK under $JAVA_HOME (without jmods/) plus the files of /usr/bin under 1 MiB
# (about 230 MiB, 816 files on Debian 12 with OpenJDK 17).
#
# Method: the corpus is copied into a work directory (default bench-work/ in the checkout, which
# git ignores) and read once to warm the page cache. For every case and thread count the two tools
# run alternately (mksquashfs first in odd rounds, sysext first in even rounds, so that drift on a
# shared machine hits both), each under GNU `/usr/bin/time -v`. A Java report
# (dev.sysext.benchmarks.compare.CompareReport in benchmarks/target/benchmarks.jar) prints the
# medians: wall time, ratio to mksquashfs, CPU time, image size and ratio, peak RSS, and each tool's
# speed-up from 1 thread to more.
#
# How the two tools are made to do the same work:
#   compressor and level  mksquashfs -comp X -Xcompression-level L  |  sysext --comp X --level L
#                         (xz: dictionary = block size, no BCJ filter; lz4: not HC; both defaults)
#   block size            -b 131072                                 |  --block-size 128K
#   threads               -processors N                             |  --processors N
#   fragments             both pack files smaller than a block into fragments, no tail ends
#                         (the defaults of both tools)
#   duplicates            both detect duplicate files (the defaults)
#   export table          -exports (the default of both)            |  (no --no-exports)
#   xattrs                -no-xattrs                                |  --no-xattrs
#                         (the corpus copied here carries none; this only spares both the lookups)
#   owners                -all-root                                 |  --all-root
#   output                -noappend -no-progress -quiet, a fresh image each run; sysext always
#                         writes a new image (to a temporary file renamed into place)
#   times                 both keep the files' modification times; only the superblock's mkfs
#                         time differs, which costs nothing
# The JVM options of ./sysext come from SYSEXT_JAVA_OPTS, e.g. class data sharing settings.
#
# Without a built `sysext mksquashfs` (or with --mksquashfs-only) it measures mksquashfs alone and
# says so; the table then has no ratios.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=corpus.sh
. "$here/corpus.sh"

usage() {
  cat <<EOF
usage: benchmarks/compare.sh [options]
  --cases LIST        comma-separated cases (default: gzip-9,zstd-15,xz,lz4,dup-gzip-9);
                      a case is gzip-L, zstd-L, xz or lz4; dup-CASE runs CASE on the
                      duplicate-heavy tree (the corpus copied four times), small-CASE on a
                      generated tree of 100,000 small files (up to 480 bytes, 128 directories);
                      generated trees in directories of 1,000 files of up to 480 bytes:
                      random-CASE 100,000 files, flat-CASE 100,000 files in one directory,
                      dups-CASE 100,000 files of which every third is 'x' repeated 0-479 times
                      (33,000 duplicates of 480 contents), dups500k-CASE and dups1m-CASE the
                      same with 500,000 and 1,000,000 files (cost must grow linearly)
  --threads LIST      comma-separated processor counts given to both tools (default: 1,2)
  --rounds N          rounds per tool, case and thread count; the table shows medians (default: 3)
  --quick             one round of gzip-9 with 2 threads (a smoke test of the whole chain)
  --mksquashfs-only   measure mksquashfs alone
  --keep-images       keep the first round's images (default: deleted once checked)
  --work DIR          work directory for the corpus, images and results (default: $repo/bench-work)
  -h, --help          this help
Needs: mksquashfs, unsquashfs, GNU time (/usr/bin/time; apt-get install -y time), java, and a build:
  mvn -B -q package -DskipTests
EOF
}

die() { echo "compare: error: $*" >&2; exit 2; }

cases=gzip-9,zstd-15,xz,lz4,dup-gzip-9
threads=1,2
rounds=3
only_mksquashfs=false
keep_images=false
work=$repo/bench-work
while (($#)); do
  case $1 in
    --cases) cases=${2:?--cases needs a list}; shift 2 ;;
    --threads) threads=${2:?--threads needs a list}; shift 2 ;;
    --rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
    --quick) cases=gzip-9; threads=2; rounds=1; shift ;;
    --mksquashfs-only) only_mksquashfs=true; shift ;;
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

# The generated trees: name, then GeneratedTree's arguments after the directory.
generated_trees=(
  "small 100000 480"
  "random 100000 480 1 --per-dir 1000"
  "flat 100000 480 1 --per-dir 0"
  "dups 100000 480 1 --per-dir 1000 --repeat-every 3"
  "dups500k 500000 480 1 --per-dir 1000 --repeat-every 3"
  "dups1m 1000000 480 1 --per-dir 1000 --repeat-every 3"
)
# A case's tree: dup, corpus, or a generated tree's name.
tree_name_of() {
  local prefix=${1%%-*} t
  [[ $prefix == dup ]] && { echo dup; return; }
  for t in "${generated_trees[@]}"; do
    [[ ${t%% *} == "$prefix" ]] && { echo "$prefix"; return; }
  done
  echo corpus
}
# A case's compressor: the case without its tree prefix.
comp_of() {
  if [[ $(tree_name_of "$1") == corpus ]]; then echo "$1"; else echo "${1#*-}"; fi
}
# mksquashfs and sysext arguments for a case's compressor.
mksquashfs_comp() {
  case $1 in
    gzip-[1-9]) echo "-comp gzip -Xcompression-level ${1#gzip-}" ;;
    zstd-[1-9]|zstd-1[0-9]|zstd-2[0-2]) echo "-comp zstd -Xcompression-level ${1#zstd-}" ;;
    xz) echo "-comp xz" ;;
    lz4) echo "-comp lz4" ;;
    *) return 1 ;;
  esac
}
sysext_comp() {
  case $1 in
    gzip-*) echo "--comp gzip --level ${1#gzip-}" ;;
    zstd-*) echo "--comp zstd --level ${1#zstd-}" ;;
    xz) echo "--comp xz" ;;
    lz4) echo "--comp lz4" ;;
  esac
}
for c in "${case_list[@]}"; do
  mksquashfs_comp "$(comp_of "$c")" >/dev/null \
    || die "unknown case '$c' (gzip-1..9, zstd-1..22, xz, lz4, TREE-CASE with TREE one of dup, small, random, flat, dups, dups500k, dups1m)"
done

# Prerequisites.
command -v mksquashfs >/dev/null || die "mksquashfs is missing (apt-get install -y squashfs-tools)"
command -v unsquashfs >/dev/null || die "unsquashfs is missing (apt-get install -y squashfs-tools)"
bench_prerequisites

tools=(mksquashfs)
if ! $only_mksquashfs; then
  if "$repo/sysext" mksquashfs --help >/dev/null 2>&1; then
    tools+=(sysext)
  else
    echo "compare: note: '$repo/sysext mksquashfs' is not available (not built, or no such command yet):"
    echo "compare: note: measuring mksquashfs alone"
  fi
fi

bench_corpus "$work"
dup=$work/corpus-dup
needs_dup=false
for c in "${case_list[@]}"; do [[ $c == dup-* ]] && needs_dup=true; done
if $needs_dup && [[ ! -f $dup.complete ]]; then
  echo "compare: building the duplicate-heavy tree in $dup (the corpus four times)"
  rm -rf "$dup"
  mkdir -p "$dup"
  for i in 1 2 3 4; do
    # Real copies, not hard links: hard links are one inode and would not exercise deduplication.
    cp -a "$corpus/." "$dup/copy$i/"
  done
  touch "$dup.complete"
fi

# Generated trees, each built once under $work/generated/NAME.
needed_generated=()
for t in "${generated_trees[@]}"; do
  name=${t%% *}
  for c in "${case_list[@]}"; do
    if [[ $(tree_name_of "$c") == "$name" ]]; then needed_generated+=("$name"); break; fi
  done
done
generated_dir() { if [[ $1 == small ]]; then echo "$work/small-files"; else echo "$work/generated/$1"; fi; }
for t in "${generated_trees[@]}"; do
  name=${t%% *}
  [[ " ${needed_generated[*]:-} " == *" $name "* ]] || continue
  dir=$(generated_dir "$name")
  if [[ ! -f $dir.complete || $(cat "$dir.complete") != "$t" ]]; then
    echo "compare: generating the tree '$name' in $dir (GeneratedTree ${t#* })"
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    # shellcheck disable=SC2086
    java -cp "$report_jar" dev.sysext.benchmarks.GeneratedTree "$dir" ${t#* }
    echo "$t" >"$dir.complete"
  fi
done

tree_of() {
  local name
  name=$(tree_name_of "$1")
  case $name in
    dup) echo "$dup" ;;
    corpus) echo "$corpus" ;;
    *) generated_dir "$name" ;;
  esac
}
results=$work/results/$(date -u +%Y%m%dT%H%M%SZ)
images=$work/images
mkdir -p "$results" "$images"
runs=$results/runs.tsv
: >"$runs"

{
  echo "date:       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine:    $(bench_machine)"
  echo "mksquashfs: $(mksquashfs -version 2>&1 | head -n1)"
  echo "java:       $(java -version 2>&1 | head -n1)"
  echo "tools:      ${tools[*]}"
  echo "rounds:     $rounds"
  bench_describe "$corpus"
  if $needs_dup; then bench_describe "$dup"; fi
  for name in ${needed_generated[@]+"${needed_generated[@]}"}; do bench_describe "$(generated_dir "$name")"; done
} | tee "$results/about.txt"

echo "compare: warming the page cache"
bench_warm "$corpus"
if $needs_dup; then bench_warm "$dup"; fi
for name in ${needed_generated[@]+"${needed_generated[@]}"}; do bench_warm "$(generated_dir "$name")"; done

# Runs one tool once and appends its line to runs.tsv.
measure() {
  local tool=$1 case=$2 n=$3 round=$4
  local comp src image name status=0 size=0
  comp=$(comp_of "$case")
  src=$(tree_of "$case")
  name=$case.$n.$tool.$round
  image=$images/$name.sqfs
  rm -f "$image"
  local cmd
  if [[ $tool == mksquashfs ]]; then
    # shellcheck disable=SC2207
    cmd=(mksquashfs "$src" "$image" -noappend -no-progress -quiet -processors "$n" $(mksquashfs_comp "$comp")
      -b 131072 -exports -no-xattrs -all-root)
  else
    # shellcheck disable=SC2207
    cmd=("$repo/sysext" mksquashfs "$src" "$image" $(sysext_comp "$comp") --block-size 128K --processors "$n"
      --no-xattrs --all-root)
  fi
  /usr/bin/time -v -o "$results/$name.time" "${cmd[@]}" >"$results/$name.log" 2>&1 || status=$?
  [[ -f $image ]] && size=$(stat -c %s "$image")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$n" "$tool" "$round" "$status" "$size" "$name.time" >>"$runs"
  local wall
  wall=$(bench_wall "$results/$name.time")
  printf 'compare: %-12s %2s threads  %-10s round %d: %s, exit %d, %d bytes\n' \
    "$case" "$n" "$tool" "$round" "${wall:-?}" "$status" "$size"
  if ((status != 0)); then
    echo "compare: $tool failed; its output is in $results/$name.log:" >&2
    tail -n 5 "$results/$name.log" >&2
  fi
}

# The images of the two tools must hold the same files, inodes, compressor and block size.
check_equivalent() {
  local case=$1 n=$2 a=$images/$1.$2.mksquashfs.1.sqfs b=$images/$1.$2.sysext.1.sqfs
  [[ -f $a && -f $b ]] || return 0
  if ! diff <(unsquashfs -l "$a" | sort) <(unsquashfs -l "$b" | sort) >"$results/$case.$n.files.diff"; then
    echo "compare: WARNING: $case $n threads: the images list different files ($results/$case.$n.files.diff)" \
      | tee -a "$results/about.txt"
  fi
  local sa sb
  sa=$(unsquashfs -s "$a" | grep -E '^(Compression|Block size|Number of inodes)' | tr '\n' ' ')
  sb=$(unsquashfs -s "$b" | grep -E '^(Compression|Block size|Number of inodes)' | tr '\n' ' ')
  [[ $sa == "$sb" ]] || echo "compare: WARNING: $case $n threads: mksquashfs '$sa', sysext '$sb'" \
    | tee -a "$results/about.txt"
}

for c in "${case_list[@]}"; do
  for n in "${thread_list[@]}"; do
    for ((r = 1; r <= rounds; r++)); do
      order=("${tools[@]}")
      if ((r % 2 == 0 && ${#tools[@]} == 2)); then order=("${tools[1]}" "${tools[0]}"); fi
      for tool in "${order[@]}"; do
        measure "$tool" "$c" "$n" "$r"
      done
      if ((r == 1)); then check_equivalent "$c" "$n"; fi
      if ! $keep_images || ((r > 1)); then rm -f "$images/$c.$n".*."$r".sqfs; fi
    done
  done
done

echo
cat "$results/about.txt"
echo
java -cp "$report_jar" dev.sysext.benchmarks.compare.CompareReport "$runs" | tee "$results/table.txt"
echo
echo "compare: runs, time reports and logs are in $results"
if $keep_images; then echo "compare: first-round images are in $images"; fi
