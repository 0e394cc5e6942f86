package dev.sysext.sysupdate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our version order against systemd's own, as {@code systemd-analyze compare-versions} reports it. */
class VersionOrderTest {
    private static final List<String> VERSIONS = List.of(
            "1", "1.0", "1.0.0", "1.0.1", "1.0.10", "1.0.9", "1.1", "2.0.0", "2.2.0", "2.2.0-rc.1", "2.2.0~rc.1",
            "2.2.0rc1", "2.2.0.1", "2.2.0-1", "2.2.0^1", "2.2.0a", "2.2.0.a", "010", "10", "1.2_3", "1.2+3",
            "v1.2", "1.2-", "1.2.", "a", "b", "abc", "abcd", "1~~", "1~", "1~a", "");

    @Test
    void agreesWithSystemdAnalyze() throws Exception {
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < VERSIONS.size(); i++) {
            for (int j = i + 1; j < VERSIONS.size(); j += 4) {
                compare(VERSIONS.get(i), VERSIONS.get(j), disagreements);
            }
        }
        compare("2.2.0-rc.1", "2.2.0", disagreements);
        compare("2.2.0", "2.2.0~rc.1", disagreements);
        assertEquals(List.of(), disagreements);
    }

    private static void compare(String a, String b, List<String> disagreements) throws Exception {
        if (a.isEmpty() || b.isEmpty()) {
            return; // systemd-analyze refuses empty arguments
        }
        Tool.Result r = Tool.run(Path.of("."), "systemd-analyze", "compare-versions", a, b);
        int systemd = switch (r.exitCode()) {
            case 0 -> 0;
            case 11 -> 1;
            case 12 -> -1;
            default -> throw new AssertionError(r.output());
        };
        int ours = Integer.signum(VersionOrder.SYSTEMD.compare(a, b));
        if (ours != systemd) {
            disagreements.add(a + " vs " + b + ": systemd " + systemd + ", ours " + ours);
        }
        if (Integer.signum(VersionOrder.SYSTEMD.compare(b, a)) != -systemd) {
            disagreements.add(b + " vs " + a + " is not the reverse");
        }
    }
}
