package dev.sysext.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unit and config files say what the README documents: the unit runs containerd as upstream
 * hardens it and picks CONTAINERD_CONFIG, else /etc/containerd/config.toml, else the image's
 * default; the default config imports /etc/containerd/conf.d/*.toml and uses the systemd cgroup
 * driver, in the config version of the containerd major. (The end-to-end test of the CLI runs the
 * unit's command on a merged image.)
 */
class ContainerdFilesTest {
    private static final Map<String, String> FILES = Map.of(
            "containerd.service", "usr/lib/systemd/system/containerd.service",
            "10-containerd.conf", "usr/lib/systemd/system/multi-user.target.d/10-containerd.conf",
            "config-v2.toml", "usr/share/containerd/config-v2.toml",
            "config-v2-cgroupfs.toml", "usr/share/containerd/config-v2-cgroupfs.toml",
            "config-v3.toml", "usr/share/containerd/config-v3.toml",
            "config-v3-cgroupfs.toml", "usr/share/containerd/config-v3-cgroupfs.toml");

    /** A static file of the catalog's containerd recipe. */
    private static String resource(String name) throws IOException {
        return Files.readString(CatalogRecipes.root().resolve("containerd/files/" + FILES.get(name)), StandardCharsets.UTF_8);
    }

    @Test
    void theUnitIsUpstreamsHardeningWithTheDocumentedConfigChoice() throws IOException {
        List<String> lines = resource("containerd.service").lines().toList();
        for (String directive : List.of("Type=notify", "Delegate=yes", "KillMode=process", "Restart=always", "RestartSec=5",
                "LimitNOFILE=1048576", "LimitNPROC=infinity", "LimitCORE=infinity", "TasksMax=infinity",
                "OOMScoreAdjust=-999", "ExecStartPre=-/sbin/modprobe overlay")) {
            assertTrue(lines.contains(directive), directive);
        }
        String exec = lines.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        int env = exec.indexOf("$${CONTAINERD_CONFIG:-}");
        int etc = exec.indexOf("if [ -e /etc/containerd/config.toml ]; then config=/etc/containerd/config.toml;");
        int usr = exec.indexOf("else config=/usr/share/containerd/config.toml;");
        assertTrue(env > 0 && etc > env && usr > etc, exec);
        assertTrue(exec.endsWith("exec /usr/bin/containerd --config \"$$config\"'"), exec);
        assertEquals(List.of("[Unit]", "Upholds=containerd.service"),
                resource("10-containerd.conf").lines().filter(l -> !l.startsWith("#")).toList());
    }

    @Test
    void systemdAcceptsTheUnit(@TempDir Path dir) throws Exception {
        Path unit = Files.writeString(dir.resolve("containerd.service"), resource("containerd.service"));
        Process p = new ProcessBuilder("systemd-analyze", "verify", unit.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out, "systemd-analyze verify has no complaint");
    }

    @Test
    void version3ForContainerd2() throws IOException {
        checkConfig(resource("config-v3.toml"), "3", "plugins.'io.containerd.cri.v1.runtime'", "true");
        checkConfig(resource("config-v3-cgroupfs.toml"), "3", "plugins.'io.containerd.cri.v1.runtime'", "false");
    }

    @Test
    void version2ForContainerd1() throws IOException {
        checkConfig(resource("config-v2.toml"), "2", "plugins.\"io.containerd.grpc.v1.cri\"", "true");
        checkConfig(resource("config-v2-cgroupfs.toml"), "2", "plugins.\"io.containerd.grpc.v1.cri\"", "false");
    }

    private static void checkConfig(String toml, String version, String cri, String systemdCgroup) {
        List<String> keys = toml.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("version = " + version, keys.get(0), toml);
        assertEquals("imports = [\"/etc/containerd/conf.d/*.toml\"]", keys.get(1), toml);
        Matcher m = Pattern.compile("\\n\\[" + Pattern.quote(cri + ".containerd.runtimes.runc.options") + "]\\n\\s*SystemdCgroup = (\\w+)\\n")
                .matcher(toml);
        assertTrue(m.find(), toml);
        assertEquals(systemdCgroup, m.group(1));
        assertEquals(1, toml.split("SystemdCgroup =", -1).length - 1 - (toml.contains("must repeat SystemdCgroup") ? 1 : 0));
    }
}
