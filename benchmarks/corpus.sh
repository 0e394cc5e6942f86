# Sourced by compare.sh and erofs-compare.sh (not run): what both comparisons share, so that they
# measure the same corpus in the same way.
#
#   bench_prerequisites        GNU time, java and the report jar are there; sets JAVA_HOME and report_jar
#   bench_corpus WORK          builds WORK/corpus once (the JDK without jmods/, plus the files of
#                              /usr/bin under 1 MiB) and sets corpus=WORK/corpus
#   bench_describe DIR         "DIR: N files, M MiB"
#   bench_machine              one line: CPUs, model and load
#   bench_warm DIR...          reads the trees once, to warm the page cache
#   bench_wall FILE            the wall time of a `time -v` report, as time prints it
# The caller defines die() and sets repo (the checkout) before calling these.

bench_prerequisites() {
  [[ -x /usr/bin/time && $(/usr/bin/time -v true 2>&1) == *'Maximum resident set size'* ]] \
    || die "GNU time is missing at /usr/bin/time (apt-get install -y time)"
  command -v java >/dev/null || die "java is missing"
  report_jar=$repo/benchmarks/target/benchmarks.jar
  [[ -f $report_jar ]] || die "$report_jar is missing; build first: mvn -B -q package -DskipTests"
  if [[ -z ${JAVA_HOME:-} ]]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  [[ -d $JAVA_HOME/lib ]] || die "JAVA_HOME=$JAVA_HOME does not look like a JDK"
}

# The corpus: built once, reused while its stamp (a file next to it naming the JDK) matches.
bench_corpus() {
  corpus=$1/corpus
  if [[ ! -f $corpus.complete || $(cat "$corpus.complete") != "$JAVA_HOME" ]]; then
    echo "bench: building the corpus in $corpus (the JDK $JAVA_HOME and /usr/bin files under 1 MiB)"
    rm -rf "$corpus" "$1/corpus-dup" "$1/corpus-dup.complete"
    mkdir -p "$corpus/jdk" "$corpus/usr-bin"
    cp -a "$JAVA_HOME/." "$corpus/jdk/"
    # jmods/ (Debian's openjdk-17-jmods, where installed) is 75 MiB of zip files that no tool here
    # can compress; leaving it out gives the corpus the issues describe (about 230 MiB, 816 files).
    rm -rf "$corpus/jdk/jmods"
    find /usr/bin -maxdepth 1 -type f -size -1024k -exec cp -p -t "$corpus/usr-bin/" {} +
    echo "$JAVA_HOME" >"$corpus.complete"
  fi
}

bench_describe() {
  local files bytes
  files=$(find "$1" -type f | wc -l)
  bytes=$(find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
  awk -v f="$files" -v b="$bytes" -v d="$1" 'BEGIN {printf "%s: %d files, %.1f MiB\n", d, f, b / 1048576}'
}

bench_machine() {
  echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

bench_warm() {
  local d
  for d in "$@"; do tar -C "$d" -cf - . | cat >/dev/null; done
}

bench_wall() {
  sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1"
}
