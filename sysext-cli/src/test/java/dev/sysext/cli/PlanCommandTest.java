package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code sysext plan} against the loopback fake GitHub and publish directories (local and served). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanCommandTest {
    /** What list --latest gives for the fake containerd: the newest patch of each minor line. */
    private static final List<String> LATEST = List.of(FakeUpstream.GOOD, FakeUpstream.TAMPERED, FakeUpstream.OLD_LINE);

    @TempDir
    static Path tmp;
    private FakeUpstream upstream;

    @BeforeAll
    void start() throws Exception {
        upstream = new FakeUpstream(Files.createDirectories(tmp.resolve("upstream")));
    }

    @AfterAll
    void stop() {
        upstream.close();
    }

    private SysextRun plan(String... args) {
        List<String> all = new ArrayList<>(List.of("plan"));
        all.addAll(List.of(args));
        all.addAll(upstream.rewriteOptions());
        return SysextRun.of(all);
    }

    private static String sums(String... images) {
        StringBuilder b = new StringBuilder();
        for (String image : images) {
            b.append("0123456789abcdef".repeat(4)).append("  ").append(image).append('\n');
        }
        return b.toString();
    }

    @Test
    void anEmptyPublishDirectoryMissesEveryLatestVersionForBothArchitectures() throws Exception {
        Path publish = Files.createDirectories(tmp.resolve("empty"));
        SysextRun r = plan("containerd", "--published", publish.toString(), "--json");
        assertEquals(0, r.exitCode(), r::toString);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> include = (List<Map<String, Object>>) Json.object(r.out()).get("include");
        List<Map<String, Object>> expected = new ArrayList<>();
        for (String v : LATEST) {
            for (String arch : List.of("x86-64", "arm64")) {
                expected.add(Map.of("recipe", "containerd", "version", v, "arch", arch,
                        "image", "containerd-" + v + "-" + arch + ".raw"));
            }
        }
        assertEquals(expected, include);
        assertEquals(Json.object(r.out()).keySet(), java.util.Set.of("include"), "only what a matrix takes");
    }

    @Test
    void imagesListedInSha256sumsAreNotPlanned() throws Exception {
        Path publish = Files.createDirectories(tmp.resolve("some"));
        Files.writeString(publish.resolve("SHA256SUMS"), sums("containerd-2.2.0-x86-64.raw",
                "containerd-1.7.29-arm64.raw", "containerd-1.7.29-x86-64.raw", "other-1.0-x86-64.raw"));
        SysextRun dir = plan("containerd", "--published", publish.toString());
        assertEquals(0, dir.exitCode(), dir::toString);
        assertEquals(List.of("containerd-2.2.0-arm64.raw", "containerd-2.1.9-x86-64.raw", "containerd-2.1.9-arm64.raw"),
                dir.out().lines().toList());
        // The same through the SHA256SUMS file and through a web server.
        SysextRun file = plan("containerd", "--published", publish.resolve("SHA256SUMS").toString());
        assertEquals(dir.out(), file.out(), file::toString);
        try (StaticServer server = new StaticServer(publish)) {
            SysextRun url = plan("containerd", "--published", server.url());
            assertEquals(dir.out(), url.out(), url::toString);
            SysextRun sumsUrl = plan("containerd", "--published", server.url() + "SHA256SUMS", "--arch", "arm64");
            assertEquals(List.of("containerd-2.2.0-arm64.raw", "containerd-2.1.9-arm64.raw"), sumsUrl.out().lines().toList(),
                    sumsUrl::toString);
        }
    }

    @Test
    void explicitVersionsAndArchitectures() throws Exception {
        SysextRun r = plan("containerd", "--versions", "2.2.0,1.7.29", "--arch", "amd64", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(Map.of("include", List.of(
                Map.of("recipe", "containerd", "version", "2.2.0", "arch", "x86-64", "image", "containerd-2.2.0-x86-64.raw"),
                Map.of("recipe", "containerd", "version", "1.7.29", "arch", "x86-64",
                        "image", "containerd-1.7.29-x86-64.raw"))), Json.object(r.out()));
        Path publish = Files.createDirectories(tmp.resolve("all"));
        Files.writeString(publish.resolve("SHA256SUMS"), sums("containerd-2.2.0-x86-64.raw"));
        SysextRun none = plan("containerd", "--versions", "2.2.0", "--arch", "x86-64", "--published", publish.toString(),
                "--json");
        assertEquals(0, none.exitCode(), none::toString);
        assertEquals("{\"include\":[]}", none.out().strip());
    }

    @Test
    void badInputIsNamed() throws Exception {
        SysextRun unknownVersion = plan("containerd", "--versions", "9.9.9");
        assertEquals(3, unknownVersion.exitCode(), unknownVersion::toString);
        assertTrue(unknownVersion.err().contains("containerd has no release 9.9.9"), unknownVersion::toString);
        SysextRun unknownRecipe = plan("no-such-extension");
        assertEquals(3, unknownRecipe.exitCode(), unknownRecipe::toString);
        assertTrue(unknownRecipe.err().contains("unknown extension 'no-such-extension'"), unknownRecipe::toString);
        SysextRun badArch = plan("containerd", "--arch", "mips");
        assertEquals(2, badArch.exitCode(), badArch::toString);
        Path bad = tmp.resolve("bad-SHA256SUMS");
        Files.writeString(bad, "not a checksum line\n");
        SysextRun badSums = plan("containerd", "--published", bad.toString());
        assertEquals(3, badSums.exitCode(), badSums::toString);
        assertTrue(badSums.err().contains(bad + " line 1 is not a SHA256SUMS line"), badSums::toString);
        SysextRun missing = plan("containerd", "--published", tmp.resolve("nowhere/SHA256SUMS").toString());
        assertEquals(3, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("nowhere/SHA256SUMS"), missing::toString);
        try (StaticServer server = new StaticServer(Files.createDirectories(tmp.resolve("served-empty")))) {
            SysextRun notServed = plan("containerd", "--published", server.url());
            assertEquals(5, notServed.exitCode(), notServed::toString);
            assertTrue(notServed.err().contains(server.url() + "SHA256SUMS"), notServed::toString);
        }
    }
}
