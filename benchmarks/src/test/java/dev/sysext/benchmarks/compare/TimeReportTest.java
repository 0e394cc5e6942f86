package dev.sysext.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeReportTest {

    static List<String> report(String wall, String user, String system, String rssKiB) {
        return List.of(
                "mksquashfs: some tool output first",
                "\tCommand being timed: \"mksquashfs corpus out.sqfs\"",
                "\tUser time (seconds): " + user,
                "\tSystem time (seconds): " + system,
                "\tPercent of CPU this job got: 190%",
                "\tElapsed (wall clock) time (h:mm:ss or m:ss): " + wall,
                "\tAverage resident set size (kbytes): 0",
                "\tMaximum resident set size (kbytes): " + rssKiB,
                "\tExit status: 0");
    }

    @Test
    void readsWallCpuAndPeakRss() {
        TimeReport r = TimeReport.parse(report("0:11.34", "20.50", "0.75", "276480"));
        assertEquals(11.34, r.wallSeconds(), 1e-9);
        assertEquals(21.25, r.cpuSeconds(), 1e-9);
        assertEquals(276_480, r.maxRssKiB());
    }

    @Test
    void readsHoursMinutesAndSeconds() {
        assertEquals(3723, TimeReport.clock("1:02:03"), 1e-9);
        assertEquals(125.5, TimeReport.clock("2:05.50"), 1e-9);
        assertEquals(125.5, TimeReport.parse(report("2:05.50", "1", "1", "1")).wallSeconds(), 1e-9);
    }

    @Test
    void namesWhatIsMissingOrWrong() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TimeReport.parse(List.of("\tUser time (seconds): 1.0", "\tSystem time (seconds): 1.0")));
        assertTrue(missing.getMessage().contains("wall clock time"), missing.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TimeReport.parse(report("0:11.34", "lots", "0", "1")));
        assertTrue(bad.getMessage().contains("'lots'"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimeReport.clock("11.34"));
    }
}
