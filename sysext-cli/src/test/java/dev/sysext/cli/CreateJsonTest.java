package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

/** {@code sysext create --json}, {@code --quiet} and the plain step log, against the loopback GitHub. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreateJsonTest {
    static final JsonSchema CREATE = new JsonSchema()
            .member("schema", JsonSchema.STRING)
            .member("image", JsonSchema.STRING)
            .member("fileName", JsonSchema.STRING)
            .member("sha256", JsonSchema.STRING)
            .member("size", JsonSchema.INTEGER)
            .member("name", JsonSchema.STRING)
            .member("version", JsonSchema.STRING)
            .member("architecture", JsonSchema.STRING)
            .member("components", JsonSchema.OBJECT)
            .member("signers", JsonSchema.ARRAY)
            .member("files", JsonSchema.INTEGER)
            .member("fileBytes", JsonSchema.INTEGER)
            .member("extensionRelease", JsonSchema.OBJECT)
            .member("unverified", JsonSchema.ARRAY)
            .member("evidence", JsonSchema.ARRAY);

    private Path dir;
    private FakeUpstream upstream;

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        dir = tmp;
        upstream = new FakeUpstream(dir);
    }

    @AfterAll
    void stop() {
        upstream.close();
    }

    private SysextRun create(String out, String... options) {
        return createWithCache(out, "cache", options);
    }

    private SysextRun createWithCache(String out, String cache, String... options) {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of("create", "containerd", FakeUpstream.GOOD, "--output", dir.resolve(out).toString(),
                "--cache", dir.resolve(cache).toString(), "--epoch", "1700000000", "--threads", "1",
                "--keyring", upstream.keyring.toString()));
        all.addAll(upstream.rewriteOptions());
        if (out.equals("json")) {
            all.add("--json");
        }
        return SysextRun.of(all);
    }

    @Test
    void jsonNamesTheImageItsHashVersionsAndSigners() throws Exception {
        SysextRun r = create("json", "--quiet");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err(), "--quiet: nothing on stderr on success");
        assertEquals(1, r.out().lines().count(), r.out());
        Map<String, Object> json = Json.object(r.out());
        CREATE.check(json);
        Path image = dir.resolve("json/containerd-2.2.0-x86-64.raw");
        assertEquals("sysext.create/v1", json.get("schema"));
        assertEquals(image.toString(), json.get("image"));
        assertEquals("containerd-2.2.0-x86-64.raw", json.get("fileName"));
        ExternalTool sum = ExternalTool.run("sha256sum", image.toString());
        assertEquals(sum.output().substring(0, 64), json.get("sha256"));
        assertEquals(Files.size(image), json.get("size"));
        assertEquals("containerd", json.get("name"));
        assertEquals("2.2.0", json.get("version"));
        assertEquals("x86-64", json.get("architecture"));
        assertEquals(Map.of("containerd", "2.2.0", "runc", "1.3.3"), json.get("components"));
        assertEquals(List.of(upstream.runcKey.fingerprint()), json.get("signers"));
        assertEquals(Map.of("ID", "_any", "ARCHITECTURE", "x86-64", "EXTENSION_RELOAD_MANAGER", "1"),
                json.get("extensionRelease"));
        // What unsquashfs counts as regular files in the image.
        ExternalTool list = ExternalTool.run("unsquashfs", "-lln", image.toString());
        long files = list.output().lines().filter(l -> l.startsWith("-")).count();
        assertEquals(files, json.get("files"), list.output());
        assertTrue(((List<?>) json.get("evidence")).size() >= 3, json.toString());
        assertEquals(List.of(), json.get("unverified"), "every input of containerd is verified");
    }

    @Test
    void withoutATerminalEachStepIsOnePlainLine() {
        SysextRun r = create("plain", "--verbose");
        assertEquals(0, r.exitCode(), r::toString);
        CliContractTest.assertPlain(r.err());
        CliContractTest.assertPlain(r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals("building containerd 2.2.0 for x86-64", lines.get(0), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("verified: ")), r.err());
        assertTrue(lines.get(lines.size() - 1).matches("wrote \\S+containerd-2\\.2\\.0-x86-64\\.raw \\(\\d+ files, .+ in, .+ out\\)"),
                r.err());
        assertTrue(r.out().matches("[0-9a-f]{64}  \\S+\\R"), r.out());
    }

    @Test
    void progressAlwaysDrawsDownloadBarsAndKeepsStdoutClean() {
        SysextRun r = createWithCache("bars", "fresh-cache", "--progress=always");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().contains("\rcontainerd-static-2.2.0-linux-amd64.tar.gz  ["), r.err());
        assertTrue(r.err().contains("\u001b[K"), r.err());
        assertTrue(r.err().contains("downloaded runc.amd64 ("), r.err());
        assertTrue(r.err().matches("(?s).*\\rwriting containerd  \\d+ files?  \\d.* in  \\d.* out.*"), r.err());
        CliContractTest.assertPlain(r.out());
    }
}
