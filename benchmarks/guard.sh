#!/usr/bin/env bash
# The throughput guard (issue 16): in one short JMH run, the raw codec (java.util.zip.Deflater
# level 9, zstd-jni level 15) and the SquashFS writer compress the same 128 KiB blocks with the same
# thread count; the guard fails when the writer's throughput, or its CPU efficiency, falls below a
# fraction of the codec's. A ratio within one run holds on any machine; an absolute time would not.
# See dev.sysext.benchmarks.ThroughputGuard and the README's "Throughput guard" section.
#
# Usage: benchmarks/guard.sh [--threshold F] [--cpu-threshold F] [--codecs gzip-9,zstd-15] [--threads N]
# Needs benchmarks/target/benchmarks.jar (mvn -B package, or the mvn -B verify that CI runs first).
# Takes about a minute on an idle 2-core machine. Exit status: 0 pass, 1 the writer is too slow,
# 2 bad arguments or the benchmark could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [[ ! -f $jar ]]; then
  echo "guard.sh: $jar is missing; build it first: mvn -B -q -pl benchmarks -am package -DskipTests" >&2
  exit 2
fi
exec java -cp "$jar" dev.sysext.benchmarks.ThroughputGuard "$@"
