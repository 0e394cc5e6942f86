package dev.sysext.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.benchmarks.ThroughputGuard.Iteration;
import dev.sysext.benchmarks.ThroughputGuard.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputGuardTest {
    private static final long MB_16 = 16_000_000;

    /** The ratio is the median over iterations: one disturbed iteration does not decide. */
    @Test
    void theRatioIsTheMedianOfTheIterations() {
        Pair p = new Pair("gzip-9", List.of(new Iteration(900, 1000, 1800, 2000), new Iteration(100, 1000, 1800, 2000),
                new Iteration(950, 1000, 1900, 2000)), 3);
        assertEquals(0.9, p.ratio(), 1e-9);
        assertEquals(0.9, p.cpuRatio(), 1e-9);
        // 3 passes of 16 MB in 1.95 s of raw time.
        assertEquals(3 * 16 / 1.95, p.rawMbps(MB_16), 1e-6);
        assertEquals(16, p.writerMbps(MB_16), 1e-6);
    }

    @Test
    void passesWhenBothRatiosReachTheirThresholds() {
        List<String> lines = ThroughputGuard.report(List.of(new Pair("gzip-9", List.of(new Iteration(900, 1000, 900, 1000)), 1),
                new Pair("zstd-15", List.of(new Iteration(800, 1000, 850, 1000)), 1)), MB_16, 2, 0.8, 0.85);
        assertTrue(lines.get(1).contains("writer/raw 0.900") && lines.get(1).contains("CPU raw/writer 0.900"), lines.get(1));
        assertTrue(lines.get(lines.size() - 1).startsWith("PASS"), String.join("\n", lines));
    }

    /** A writer that got slower fails the guard, and the verdict names the codec and the ratio. */
    @Test
    void failsNamingTheCodecAndRatioBelowTheThreshold() {
        List<String> lines = ThroughputGuard.report(List.of(new Pair("gzip-9", List.of(new Iteration(900, 1000, 900, 1000)), 1),
                new Pair("zstd-15", List.of(new Iteration(600, 1000, 900, 1000)), 1)), MB_16, 2, 0.8, 0.8);
        String verdict = lines.get(lines.size() - 1);
        assertTrue(verdict.startsWith("FAIL") && verdict.contains("zstd-15 throughput 0.600 < 0.80") && !verdict.contains("gzip-9"),
                verdict);
        lines = ThroughputGuard.report(List.of(new Pair("gzip-9", List.of(new Iteration(900, 1000, 500, 1000)), 1)),
                MB_16, 2, 0.8, 0.8);
        verdict = lines.get(lines.size() - 1);
        assertTrue(verdict.startsWith("FAIL") && verdict.contains("gzip-9 CPU 0.500 < 0.80"), verdict);
    }
}
