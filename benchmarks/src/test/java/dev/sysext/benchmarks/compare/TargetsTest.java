package dev.sysext.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {

    private static Summary summary(String c, int threads, String tool, double wall, long bytes, long rssMiB) {
        return new Summary(c, threads, tool, 3, 0, wall, wall, bytes, false, rssMiB * 1024);
    }

    private static Targets.Check find(List<Targets.Check> checks, String c, int threads, String what) {
        return checks.stream().filter(k -> k.caseName().equals(c) && k.processors() == threads && k.what().equals(what))
                .findFirst().orElseThrow(() -> new AssertionError("no check " + c + " " + threads + " " + what));
    }

    @Test
    void appliesTheLimitOfEachCase() {
        List<Summary> s = List.of(
                summary("gzip-9", 1, "mksquashfs", 20.0, 100_000_000, 270),
                summary("gzip-9", 1, "sysext", 21.0, 100_400_000, 150),
                summary("gzip-9", 2, "mksquashfs", 11.0, 100_000_000, 270),
                summary("gzip-9", 2, "sysext", 11.0, 100_600_000, 250),
                summary("lz4", 2, "mksquashfs", 0.4, 124_000_000, 120),
                summary("lz4", 2, "sysext", 0.5, 124_000_000, 90),
                summary("xz", 2, "mksquashfs", 30.0, 90_000_000, 120),
                summary("xz", 2, "sysext", 37.0, 90_200_000, 90),
                summary("dups1m-gzip-9", 2, "mksquashfs", 30.0, 90_000_000, 600),
                summary("dups1m-gzip-9", 2, "sysext", 29.0, 90_000_000, 610),
                summary("dup-gzip-9", 2, "mksquashfs", 100.0, 88_000_000, 950),
                summary("dup-gzip-9", 2, "sysext", 51.0, 88_000_000, 100));
        List<Targets.Check> checks = Targets.check(s);

        Targets.Check slow = find(checks, "gzip-9", 1, "wall time x mksquashfs");
        assertFalse(slow.met());
        assertEquals(5.0, slow.missedByPercent(), 1e-9);
        assertTrue(find(checks, "gzip-9", 1, "image size x mksquashfs").met());
        assertTrue(find(checks, "gzip-9", 2, "wall time x mksquashfs").met());
        assertFalse(find(checks, "gzip-9", 2, "image size x mksquashfs").met());
        assertFalse(find(checks, "gzip-9", 2, "peak RSS MiB").met());
        // 21 s / 11 s = 1.91 >= 1.8
        assertTrue(find(checks, "gzip-9", 2, "speed-up from 1 thread").met());
        // 0.5 s / 0.4 s = 1.25 <= 1.3; 37 s / 30 s = 1.23 > 1.2
        assertTrue(find(checks, "lz4", 2, "wall time x mksquashfs").met());
        assertFalse(find(checks, "xz", 2, "wall time x mksquashfs").met());
        // Generated trees: the time target of gzip, and mksquashfs' own peak RSS as the limit.
        assertTrue(find(checks, "dups1m-gzip-9", 2, "wall time x mksquashfs").met());
        assertFalse(find(checks, "dups1m-gzip-9", 2, "peak RSS x mksquashfs").met());
        assertTrue(checks.stream().noneMatch(k -> k.caseName().equals("dups1m-gzip-9") && k.what().equals("peak RSS MiB")));
        assertFalse(find(checks, "dup-gzip-9", 2, "wall time x mksquashfs").met());
        // lz4 and the duplicate-heavy tree have no size target; mksquashfs is never checked.
        assertTrue(checks.stream().noneMatch(k -> k.caseName().equals("lz4") && k.what().startsWith("image size")));
        assertTrue(checks.stream().noneMatch(k -> k.tool().equals("mksquashfs")));
    }

    @Test
    void aSlowSpeedUpIsMissed() {
        List<Summary> s = List.of(
                summary("xz", 1, "sysext", 30.0, 1, 100),
                summary("xz", 2, "sysext", 20.0, 1, 100));
        Targets.Check c = find(Targets.check(s), "xz", 2, "speed-up from 1 thread");
        assertEquals(1.5, c.value(), 1e-9);
        assertFalse(c.met());
        String table = Targets.render(Targets.check(s));
        assertTrue(table.lines().anyMatch(l -> l.matches("xz\\s+2\\s+sysext\\s+speed-up from 1 thread\\s+1\\.500\\s+>= 1\\.800\\s+MISSED by 16\\.7 %")),
                table);
    }

    @Test
    void mksquashfsAloneHasNoTargets() {
        assertEquals("", Targets.render(Targets.check(List.of(summary("gzip-9", 2, "mksquashfs", 11, 1, 270)))));
    }

    @Test
    void mkfsErofsSetsIssue15sTargetForLz4hcWithTwoThreads() {
        List<Summary> s = List.of(
                summary("lz4hc-12-64k", 1, "mkfs.erofs", 40.0, 100_000_000, 30),
                summary("lz4hc-12-64k", 1, "sysext", 30.0, 101_000_000, 90),
                summary("lz4hc-12-64k", 2, "mkfs.erofs", 40.0, 100_000_000, 30),
                summary("lz4hc-12-64k", 2, "sysext", 21.0, 101_000_000, 90),
                summary("lz4hc", 2, "mkfs.erofs", 4.0, 128_000_000, 30),
                summary("lz4hc", 2, "sysext", 1.9, 131_000_000, 90),
                summary("lz4", 2, "mkfs.erofs", 1.0, 128_000_000, 30),
                summary("lz4", 2, "sysext", 3.0, 140_000_000, 90));
        List<Targets.Check> checks = Targets.check(s);

        Targets.Check slow = find(checks, "lz4hc-12-64k", 2, "wall time x mkfs.erofs");
        assertEquals(0.525, slow.value(), 1e-9);
        assertFalse(slow.met());
        assertTrue(find(checks, "lz4hc-12-64k", 2, "image size x mkfs.erofs").met());
        assertTrue(find(checks, "lz4hc", 2, "wall time x mkfs.erofs").met());
        assertFalse(find(checks, "lz4hc", 2, "image size x mkfs.erofs").met());
        // One thread, lz4 and mkfs.erofs itself have no target; the SquashFS targets do not apply.
        assertTrue(checks.stream().noneMatch(k -> k.processors() == 1 || k.caseName().equals("lz4")
                || k.tool().equals("mkfs.erofs") || k.what().contains("mksquashfs") || k.what().startsWith("peak")), checks.toString());
    }
}
