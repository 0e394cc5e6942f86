package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Applies the parts of a Butane config that {@code sysext butane} uses to a {@link FakeHost}, the way
 * Ignition would: files (inline, data URL, or downloaded and checked against verification.hash),
 * symlinks, and unit drop-ins. Anything else in the config fails the test, so the config cannot grow
 * fields this stand-in silently ignores.
 */
final class IgnitionStandIn {
    private IgnitionStandIn() {
    }

    @SuppressWarnings("unchecked")
    static void apply(String butane, FakeHost host) throws Exception {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(butane);
        assertEquals("flatcar", doc.get("variant"));
        assertEquals("1.1.0", doc.get("version"));
        Map<String, Object> storage = (Map<String, Object>) doc.get("storage");
        for (Map<String, Object> file : (List<Map<String, Object>>) storage.get("files")) {
            Map<String, Object> contents = (Map<String, Object>) file.get("contents");
            byte[] bytes;
            if (contents.containsKey("inline")) {
                bytes = ((String) contents.get("inline")).getBytes(StandardCharsets.UTF_8);
            } else {
                String source = (String) contents.get("source");
                if (source.startsWith("data:;base64,")) {
                    bytes = Base64.getDecoder().decode(source.substring("data:;base64,".length()));
                } else {
                    try (InputStream in = URI.create(source).toURL().openStream()) {
                        bytes = in.readAllBytes();
                    }
                }
            }
            Map<String, Object> verification = (Map<String, Object>) contents.get("verification");
            if (verification != null) {
                String hash = (String) verification.get("hash");
                assertTrue(hash.startsWith("sha512-"), hash);
                assertEquals(hash.substring(7), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes)));
            }
            Path target = place(host, (String) file.get("path"));
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
        }
        for (Map<String, Object> link : (List<Map<String, Object>>) storage.get("links")) {
            assertEquals(false, link.get("hard"));
            Path path = place(host, (String) link.get("path"));
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path);
            Files.createSymbolicLink(path, Path.of((String) link.get("target")));
        }
        Map<String, Object> systemd = (Map<String, Object>) doc.get("systemd");
        for (Map<String, Object> unit : (List<Map<String, Object>>) systemd.get("units")) {
            for (Map<String, Object> dropIn : (List<Map<String, Object>>) unit.getOrDefault("dropins", List.of())) {
                Path path = host.etc().resolve("systemd/system/" + unit.get("name") + ".d/" + dropIn.get("name"));
                Files.createDirectories(path.getParent());
                Files.writeString(path, (String) dropIn.get("contents"));
            }
        }
    }

    /** Where a host path lands in the fake host: its /etc or /opt overlay. */
    private static Path place(FakeHost host, String path) {
        if (path.startsWith("/etc/")) {
            return host.etc().resolve(path.substring(5));
        }
        if (path.startsWith("/opt/")) {
            return host.opt().resolve(path.substring(5));
        }
        throw new AssertionError("the config writes outside /etc and /opt: " + path);
    }
}
