package dev.sysext.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The throughput guard CI runs ({@code benchmarks/guard.sh}): one JMH run of
 * {@link GuardBenchmark#pair}, the raw codec and the SquashFS writer on the same blocks with the same
 * thread count, back to back in every operation. Each measurement iteration gives two ratios: the
 * writer's throughput as a fraction of the codec's (raw time / writer time), and the codec's CPU
 * time as a fraction of the writer's (1.0: the writer adds no work around the codec). The guard
 * fails when the median of either over the iterations is below its threshold. A ratio within one
 * run holds on any machine; an absolute time would not.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.sysext.benchmarks.ThroughputGuard [--threshold F]
 *     [--cpu-threshold F] [--codecs gzip-9,zstd-15] [--threads N]
 * }</pre>
 *
 * <p>Exit status: 0 when every codec's ratios reach the thresholds, 1 when one does not, 2 on bad
 * arguments or when the benchmarks could not run.
 */
public final class ThroughputGuard {
    /**
     * The throughput ratio below which the guard fails. Medians measured on a 2-core machine under
     * heavy load from other jobs: 0.92 to 1.05 (single iterations 0.47 to 1.54); a writer whose
     * workers starve (one block in flight) gives about 0.5.
     */
    static final double DEFAULT_THRESHOLD = 0.75;
    /**
     * The CPU ratio below which the guard fails. Measured: 0.963 to 0.984 for both codecs, steady under load;
     * an extra Deflater level 1 pass over every block (about 10 % more work) gives 0.89.
     */
    static final double DEFAULT_CPU_THRESHOLD = 0.85;

    private ThroughputGuard() {
    }

    /**
     * One measurement iteration: the wall-clock milliseconds of its raw passes and of its writer
     * passes, and the JVM's CPU milliseconds during each.
     */
    record Iteration(double rawMs, double writerMs, double rawCpuMs, double writerCpuMs) {
        /** The writer's throughput as a fraction of the raw codec's in this iteration. */
        double ratio() {
            return rawMs / writerMs;
        }

        /** The raw codec's CPU time as a fraction of the writer's: 1 when the writer adds no work. */
        double cpuRatio() {
            return rawCpuMs / writerCpuMs;
        }
    }

    /** One codec's measurement iterations, and how many pairs of passes they made in all. */
    record Pair(String codec, List<Iteration> iterations, long passes) {
        /** Copies the list; there is at least one iteration. */
        Pair {
            iterations = List.copyOf(iterations);
            if (iterations.isEmpty() || passes < 1) {
                throw new IllegalArgumentException(codec + ": no measurement");
            }
        }

        /** The median of the iterations' ratios: one iteration disturbed by other load does not decide. */
        double ratio() {
            return median(iterations.stream().mapToDouble(Iteration::ratio).sorted().toArray());
        }

        /** The median of the iterations' CPU ratios. */
        double cpuRatio() {
            return median(iterations.stream().mapToDouble(Iteration::cpuRatio).sorted().toArray());
        }

        private static double median(double[] r) {
            return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
        }

        double rawMbps(long sampleBytes) {
            return sampleBytes / 1e3 * passes / iterations.stream().mapToDouble(Iteration::rawMs).sum();
        }

        double writerMbps(long sampleBytes) {
            return sampleBytes / 1e3 * passes / iterations.stream().mapToDouble(Iteration::writerMs).sum();
        }
    }

    /** Runs the guard; see the class comment for the arguments. */
    public static void main(String[] args) {
        double threshold = DEFAULT_THRESHOLD;
        double cpuThreshold = DEFAULT_CPU_THRESHOLD;
        String codecs = "gzip-9,zstd-15";
        int threads = 2;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("'" + a + "' needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--threshold" -> threshold = Double.parseDouble(v);
                    case "--cpu-threshold" -> cpuThreshold = Double.parseDouble(v);
                    case "--codecs" -> codecs = v;
                    case "--threads" -> threads = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (!(threshold > 0 && threshold <= 1.5) || !(cpuThreshold > 0 && cpuThreshold <= 1.5) || threads < 1) {
                throw new IllegalArgumentException("thresholds must be in (0, 1.5] and the threads at least 1");
            }
            for (String c : codecs.split(",")) {
                GuardBenchmark.options(c, threads);
            }
        } catch (IllegalArgumentException e) { // NumberFormatException too
            System.err.println("throughput guard: " + e.getMessage());
            System.err.println("usage: ThroughputGuard [--threshold F] [--cpu-threshold F] [--codecs gzip-9,zstd-15]"
                    + " [--threads N]");
            System.exit(2);
            return;
        }
        try {
            long bytes = GuardBenchmark.bytes(GuardBenchmark.sample());
            List<Pair> pairs = run(codecs.split(","), threads);
            List<String> report = report(pairs, bytes, threads, threshold, cpuThreshold);
            report.forEach(System.out::println);
            System.exit(report.get(report.size() - 1).startsWith("FAIL") ? 1 : 0);
        } catch (IOException | RunnerException | IllegalStateException e) {
            System.err.println("throughput guard: could not measure: " + e.getMessage());
            System.exit(2);
        }
    }

    private static List<Pair> run(String[] codecs, int threads) throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("^" + Pattern.quote(GuardBenchmark.class.getName()) + "\\.pair$")
                .param("codec", codecs)
                .param("threads", Integer.toString(threads))
                .build()).run();
        Map<String, Pair> byCodec = new TreeMap<>();
        for (RunResult r : results) {
            List<Iteration> iterations = new ArrayList<>();
            long passes = 0;
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                for (IterationResult i : b.getIterationResults()) {
                    iterations.add(new Iteration(counter(i, "rawMs"), counter(i, "writerMs"),
                            counter(i, "rawCpuMs"), counter(i, "writerCpuMs")));
                    passes += i.getMetadata().getMeasuredOps();
                }
            }
            String codec = r.getParams().getParam("codec");
            byCodec.put(codec, new Pair(codec, iterations, passes));
        }
        List<Pair> pairs = new ArrayList<>();
        for (String codec : codecs) {
            Pair p = byCodec.get(codec);
            if (p == null) {
                throw new IllegalStateException("JMH gave no result for " + codec + " (the benchmark failed; its error is above)");
            }
            pairs.add(p);
        }
        return pairs;
    }

    private static double counter(IterationResult i, String name) {
        Result<?> r = i.getSecondaryResults().get(name);
        if (r == null) {
            throw new IllegalStateException("JMH reported no counter '" + name + "' (has " + i.getSecondaryResults().keySet() + ")");
        }
        return r.getScore();
    }

    /**
     * The lines to print: one per codec with both throughputs, the throughput ratio and the CPU
     * ratio, then a verdict line that starts with {@code PASS} or {@code FAIL} (naming each codec and
     * ratio below its threshold).
     */
    static List<String> report(List<Pair> pairs, long sampleBytes, int threads, double threshold, double cpuThreshold) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT,
                "throughput guard: %.1f MB sample, %d threads; thresholds: writer/raw throughput %.2f, CPU %.2f",
                sampleBytes / 1e6, threads, threshold, cpuThreshold));
        List<String> slow = new ArrayList<>();
        for (Pair p : pairs) {
            DoubleSummaryStatistics spread = p.iterations().stream().mapToDouble(Iteration::ratio).summaryStatistics();
            lines.add(String.format(Locale.ROOT,
                    "  %-8s raw codec %7.1f MB/s   writer %7.1f MB/s   writer/raw %.3f (median of %d, %.3f to %.3f)"
                            + "   CPU raw/writer %.3f",
                    p.codec(), p.rawMbps(sampleBytes), p.writerMbps(sampleBytes), p.ratio(), p.iterations().size(),
                    spread.getMin(), spread.getMax(), p.cpuRatio()));
            if (!(p.ratio() >= threshold)) {
                slow.add(String.format(Locale.ROOT, "%s throughput %.3f < %.2f", p.codec(), p.ratio(), threshold));
            }
            if (!(p.cpuRatio() >= cpuThreshold)) {
                slow.add(String.format(Locale.ROOT, "%s CPU %.3f < %.2f", p.codec(), p.cpuRatio(), cpuThreshold));
            }
        }
        lines.add(slow.isEmpty()
                ? "PASS: the SquashFS writer keeps up with the raw codec"
                : "FAIL: the SquashFS writer has become slower around the codec (" + String.join("; ", slow)
                        + "): look at recent changes to sysext-squashfs' write path");
        return lines;
    }
}
