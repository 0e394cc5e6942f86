package dev.sysext.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTableTest {

    private static Run run(String c, int threads, String tool, int round, double wall, long bytes, long rssKiB) {
        return new Run(c, threads, tool, round, 0, bytes, new TimeReport(wall, wall * threads, rssKiB));
    }

    /** The cells of the table row for a tool, case and thread count. */
    private static List<String> row(String table, String c, int threads, String tool) {
        for (String line : table.split("\n")) {
            List<String> cells = Arrays.asList(line.trim().split("\\s+"));
            if (cells.size() >= 3 && cells.get(0).equals(c) && cells.get(1).equals(Integer.toString(threads))
                    && cells.get(2).equals(tool)) {
                return cells;
            }
        }
        throw new AssertionError("no row for " + c + " " + threads + " " + tool + " in\n" + table);
    }

    @Test
    void comparesMediansWithMksquashfsOnTheSameCaseAndThreads() {
        List<Run> runs = new ArrayList<>();
        // mksquashfs: 10 s median (one slow round), sysext: 12 s median and 0.5 % larger.
        runs.add(run("gzip-9", 2, "mksquashfs", 1, 10.0, 80_000_000, 276_480));
        runs.add(run("gzip-9", 2, "sysext", 1, 12.0, 80_400_000, 102_400));
        runs.add(run("gzip-9", 2, "mksquashfs", 2, 30.0, 80_000_000, 270_000));
        runs.add(run("gzip-9", 2, "sysext", 2, 11.0, 80_400_000, 100_000));
        runs.add(run("gzip-9", 2, "mksquashfs", 3, 9.0, 80_000_000, 260_000));
        runs.add(run("gzip-9", 2, "sysext", 3, 13.0, 80_400_000, 99_000));
        String table = new ComparisonTable(Summary.of(runs)).render();

        List<String> m = row(table, "gzip-9", 2, "mksquashfs");
        assertEquals(List.of("gzip-9", "2", "mksquashfs", "3", "10.00", "-", "20.0", "80.00", "-", "270"), m);
        List<String> s = row(table, "gzip-9", 2, "sysext");
        assertEquals(List.of("gzip-9", "2", "sysext", "3", "12.00", "1.20", "24.0", "80.40", "1.0050", "100"), s);
        assertFalse(table.contains("only mksquashfs"), table);
    }

    @Test
    void showsThreadScalingPerTool() {
        List<Run> runs = List.of(
                run("xz", 1, "mksquashfs", 1, 40.0, 70_000_000, 1000),
                run("xz", 2, "mksquashfs", 1, 21.0, 70_000_000, 1000),
                run("xz", 1, "sysext", 1, 38.0, 69_000_000, 1000),
                run("xz", 2, "sysext", 1, 20.0, 69_000_000, 1000));
        String table = new ComparisonTable(Summary.of(runs)).render();
        assertTrue(table.contains("speed-up vs 1 thread"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("xz\\s+mksquashfs\\s+2\\s+1\\.90")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("xz\\s+sysext\\s+2\\s+1\\.90")), table);
    }

    @Test
    void mksquashfsAloneHasNoRatiosAndSaysSo() {
        String table = new ComparisonTable(Summary.of(List.of(run("lz4", 1, "mksquashfs", 1, 0.5, 124_000_000, 9000))))
                .render();
        assertEquals("-", row(table, "lz4", 1, "mksquashfs").get(5));
        assertTrue(table.contains("only mksquashfs was measured"), table);
    }

    @Test
    void failedRoundsAreLeftOutAndReported() {
        List<Run> runs = List.of(
                run("zstd-15", 1, "mksquashfs", 1, 10.0, 78_000_000, 1000),
                new Run("zstd-15", 1, "sysext", 1, 1, 0, new TimeReport(0.3, 0.3, 50)),
                run("zstd-15", 1, "sysext", 2, 8.0, 78_000_000, 1000));
        String table = new ComparisonTable(Summary.of(runs)).render();
        List<String> s = row(table, "zstd-15", 1, "sysext");
        assertEquals("1/2", s.get(3));
        assertEquals("0.80", s.get(5));
        assertTrue(table.contains("failed in 1 round(s)"), table);
    }

    @Test
    void flagsImageSizesThatDifferBetweenRounds() {
        List<Run> runs = List.of(
                run("gzip-9", 1, "mksquashfs", 1, 10.0, 80_000_000, 1000),
                run("gzip-9", 1, "mksquashfs", 2, 10.0, 80_000_100, 1000),
                run("gzip-9", 1, "mksquashfs", 3, 10.0, 80_000_000, 1000));
        String table = new ComparisonTable(Summary.of(runs)).render();
        assertEquals("80.00*", row(table, "gzip-9", 1, "mksquashfs").get(7));
        assertTrue(table.contains("different sizes"), table);
    }

    @Test
    void readsTheRunsFileTheScriptWrites(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("t1"), TimeReportTest.report("0:10.00", "19.0", "1.0", "276480"));
        Files.write(dir.resolve("t2"), TimeReportTest.report("0:09.00", "17.0", "1.0", "102400"));
        Path runs = dir.resolve("runs.tsv");
        Files.writeString(runs, "gzip-9\t2\tmksquashfs\t1\t0\t87800000\tt1\n\ngzip-9\t2\tsysext\t1\t0\t87000000\tt2\n");
        List<Run> read = CompareReport.read(runs);
        assertEquals(2, read.size());
        assertEquals(new Run("gzip-9", 2, "sysext", 1, 0, 87_000_000, new TimeReport(9.0, 18.0, 102_400)), read.get(1));

        Files.writeString(runs, "gzip-9\t2\tmksquashfs\t1\t0\t87800000\tt1\ngzip-9\t2\tsysext\n");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CompareReport.read(runs));
        assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
    }

    @Test
    void againstMkfsErofsGivesCpuAndMemoryRatiosToo() {
        List<Run> runs = List.of(
                run("lz4hc-12-64k", 2, "mkfs.erofs", 1, 40.0, 100_000_000, 40_960),
                run("lz4hc-12-64k", 2, "sysext", 1, 20.0, 101_000_000, 102_400));
        String table = new ComparisonTable(Summary.of(runs)).render();
        assertTrue(table.lines().findFirst().orElseThrow().matches("case\\s+threads\\s+tool\\s+rounds\\s+wall s\\s+x mkfs\\s+cpu s"
                + "\\s+x cpu\\s+image MB\\s+x size\\s+peak RSS MiB\\s+x RSS"), table);
        // run() gives a CPU time of wall x threads: 80 s each.
        assertEquals(List.of("lz4hc-12-64k", "2", "mkfs.erofs", "1", "40.00", "-", "80.0", "-", "100.00", "-", "40", "-"),
                row(table, "lz4hc-12-64k", 2, "mkfs.erofs"));
        assertEquals(List.of("lz4hc-12-64k", "2", "sysext", "1", "20.00", "0.50", "40.0", "0.50", "101.00", "1.0100",
                "100", "2.50"), row(table, "lz4hc-12-64k", 2, "sysext"));
        assertTrue(table.contains("targets (issue 15)"), table);
        assertFalse(table.contains("issue 4"), table);
    }
}
