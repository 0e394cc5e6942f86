package dev.sysext.sysupdate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The Butane config parsed back with SnakeYAML and checked against the Butane flatcar 1.1.0 spec's shape. */
class ButaneConfigTest {
    private static final String CONTAINERD_CONFIG = """
            version = 3
            # a comment: with "quotes" and a trailing colon:
            [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
            \tSystemdCgroup = true
            """;

    private static final byte[] IMAGE = "pretend squashfs".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static ButaneConfig config(byte[] keyring) throws Exception {
        TransferDefinition transfer = TransferDefinition.of("containerd", "https://example.com/sysext");
        return new ButaneConfig(new ImageName("containerd", "2.2.0", "x86-64"),
                MessageDigest.getInstance("SHA-512").digest(IMAGE), UpdateDropIn.flaggingReboot(transfer), false,
                Optional.of(keyring), List.of("containerd-flatcar", "docker-flatcar"), List.of("containerd.service"),
                Optional.of(CONTAINERD_CONFIG));
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Object node, Object... path) {
        Object o = node;
        for (Object step : path) {
            o = step instanceof Integer i ? ((List<Object>) o).get(i) : ((Map<String, Object>) o).get(step);
        }
        return (T) o;
    }

    @Test
    void deploysTheImageAndItsUpdates() throws Exception {
        SigningKey key = SigningKey.generate("T <t@example.com>", KeyAlgorithm.ED25519, Instant.now(), new char[0]);
        ButaneConfig butane = config(key.publicKeyring());
        String yaml = butane.render();
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);

        assertEquals(List.of("variant", "version", "storage", "systemd"), List.copyOf(doc.keySet()));
        assertEquals("flatcar", doc.get("variant"));
        assertEquals("1.1.0", doc.get("version"));
        assertTrue(yaml.contains("\nversion: 1.1.0\n"), yaml);

        List<Map<String, Object>> files = get(doc, "storage", "files");
        assertEquals(List.of("/opt/extensions/containerd/containerd-2.2.0-x86-64.raw",
                "/etc/sysupdate.containerd.d/containerd.conf", "/etc/sysupdate.d/noop.conf",
                "/etc/systemd/import-pubring.gpg", "/etc/containerd/config.toml"),
                files.stream().map(f -> f.get("path")).toList());
        for (Map<String, Object> f : files) {
            assertEquals(0644, f.get("mode"), f.toString());
        }
        assertEquals("https://example.com/sysext/containerd-2.2.0-x86-64.raw", get(files, 0, "contents", "source"));
        assertEquals("sha512-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(IMAGE)),
                get(files, 0, "contents", "verification", "hash"));
        assertEquals(TransferDefinition.of("containerd", "https://example.com/sysext").render(),
                get(files, 1, "contents", "inline"));
        assertEquals(NoopDefinition.render(), get(files, 2, "contents", "inline"));
        String keyring = get(files, 3, "contents", "source");
        assertTrue(keyring.startsWith("data:;base64,"), keyring);
        assertArrayEquals(key.publicKeyring(), Base64.getDecoder().decode(keyring.substring("data:;base64,".length())));
        assertEquals(CONTAINERD_CONFIG, get(files, 4, "contents", "inline"));

        List<Map<String, Object>> links = get(doc, "storage", "links");
        assertEquals(Map.of("path", "/etc/extensions/containerd.raw",
                "target", "/opt/extensions/containerd/containerd-2.2.0-x86-64.raw", "hard", false), links.get(0));
        assertEquals(Map.of("path", "/etc/extensions/containerd-flatcar.raw", "target", "/dev/null", "hard", false,
                "overwrite", true), links.get(1));
        assertEquals("/etc/extensions/docker-flatcar.raw", links.get(2).get("path"));
        assertEquals(3, links.size());

        List<Map<String, Object>> units = get(doc, "systemd", "units");
        assertEquals(Map.of("name", "systemd-sysupdate.timer", "enabled", true), units.get(0));
        assertEquals("systemd-sysupdate.service", units.get(1).get("name"));
        assertEquals(List.of(Map.of("name", "containerd.conf", "contents",
                UpdateDropIn.flaggingReboot(TransferDefinition.of("containerd", "https://example.com/sysext")).render())),
                units.get(1).get("dropins"));
        assertEquals(Map.of("name", "containerd.service", "enabled", true), units.get(2));
        assertEquals(3, units.size());
    }

    @Test
    void refusesInconsistentConfigs() throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-512").digest(IMAGE);
        TransferDefinition verifying = TransferDefinition.of("containerd", "https://example.com");
        IllegalArgumentException noKeyring = assertThrows(IllegalArgumentException.class, () -> new ButaneConfig(
                new ImageName("containerd", "2.2.0", "x86-64"), sha, UpdateDropIn.flaggingReboot(verifying), false,
                Optional.empty(), List.of(), List.of(), Optional.empty()));
        assertTrue(noKeyring.getMessage().contains("keyring"), noKeyring.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ButaneConfig(
                new ImageName("docker", "2.2.0", "x86-64"), sha, UpdateDropIn.flaggingReboot(verifying), false,
                Optional.of(new byte[1]), List.of(), List.of(), Optional.empty()));
        TransferDefinition line = new TransferDefinition("containerd", "https://example.com", 3, true,
                Optional.of("2.1"), Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> new ButaneConfig(
                new ImageName("containerd", "2.2.0", "x86-64"), sha, UpdateDropIn.flaggingReboot(line), false,
                Optional.of(new byte[1]), List.of(), List.of(), Optional.empty()));
    }
}
