package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.testing.FakeGitHub;
import dev.sysext.fetch.testing.TestKey;
import dev.sysext.stage.recipe.DeclarativeRecipe;
import dev.sysext.stage.recipe.RecipeDefinition;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format features the catalog does not exercise yet, through {@code create --recipe}: per-version
 * alternative inputs (tar.xz before 2.0, tar.zst after), strip-components, extra architecture names,
 * a BSD checksum file, a detached signature checked against a keyring bundled with the recipe (no
 * {@code --keyring}), a template static file, a relative link, and an input whose version a document
 * pins, which {@code verify --rebuild} takes from the manifest even after upstream moved on.
 */
class RecipeFeaturesTest {
    @TempDir
    Path dir;

    @Test
    void alternativesStripArchNamesBsdSumsBundledKeysTemplatesLinksAndRebuilds() throws Exception {
        TestKey key = TestKey.generate("demo maintainer <demo@example.org>");
        Path recipe = Files.createDirectories(dir.resolve("demo"));
        Files.createDirectories(recipe.resolve("files/usr/share/demo"));
        Files.writeString(recipe.resolve("files/usr/share/demo/about"), "demo {version} for {systemd-arch} ({suffix})\n");
        Files.write(recipe.resolve("demo.keyring"), key.armoredPublicKey());
        Files.writeString(recipe.resolve("recipe.toml"), """
                name = "demo"
                description = "a demo of the recipe format"

                [versions]
                source = "github"
                repository = "example/demo"
                prefix = "v"

                [architectures]
                x86-64 = "amd64"
                arm64 = "arm64"

                [arch-names.suffix]
                x86-64 = ""
                arm64 = "-arm64"

                [keys.demo]
                keyring-file = "demo.keyring"
                fingerprints = ["%s"]

                [[inputs]]
                name = "demo"
                versions = "<2"
                url = "https://downloads.example.org/demo/{version}/demo{suffix}.tar.xz"
                archive = "tar.xz"
                strip-components = 1
                layout = [{ from = "bin/*", to = "usr/bin/" }]
                verify = [{ kind = "checksum", url = "https://downloads.example.org/demo/{version}/SUMS", format = "bsd" }]

                [[inputs]]
                name = "demo"
                versions = ">=2"
                url = "https://downloads.example.org/demo/{version}/demo{suffix}.tar.zst"
                archive = "tar.zst"
                layout = [{ from = "bin/*", to = "usr/bin/" }]
                verify = [{ kind = "signature", url = "{url}.sig", signed-by = "demo" }]

                [[inputs]]
                name = "helper"
                version = { source = "document", url = "https://downloads.example.org/demo/{version}/helper-version" }
                url = "https://github.com/example/helper/releases/download/{version}/helper-{arch}"
                to = "usr/libexec/demo/helper"
                verify = [{ kind = "github-digest" }]

                [[files]]
                source = "usr/share/demo/about"
                template = true

                [[links]]
                path = "usr/bin/demo-latest"
                target = "demo"

                [check]
                version = "2.1.0"
                command = ["usr/bin/demo", "--version"]
                """.formatted(key.fingerprint()));
        RecipeDefinition d = DeclarativeRecipe.load(recipe).definition();
        try (FakeGitHub gh = FakeGitHub.start()) {
            CatalogFixtures fx = new CatalogFixtures(gh, key);
            fx.publish(d, "1.5.0", CatalogFixtures.Fault.NONE, 0, 0);
            fx.publish(d, "2.1.0", CatalogFixtures.Fault.NONE, 0, 0);
            Path out = dir.resolve("out");
            List<String> base = new ArrayList<>(List.of("--cache", dir.resolve("cache").toString()));
            base.addAll(fx.rewriteOptions());

            SysextRun newest = run(base, "create", "--recipe", recipe.toString(), "arm64", "-o", out.toString());
            assertEquals(0, newest.exitCode(), newest::toString);
            Path v2 = out.resolve("demo-2.1.0-arm64.raw");
            assertTrue(newest.err().contains("good signature by " + key.fingerprint()), newest.err());
            assertEquals("demo 2.1.0 for arm64 (-arm64)\n", cat(v2, "usr/share/demo/about"));
            assertTrue(cat(v2, "usr/bin/demo").contains(CatalogFixtures.banner(d, "2.1.0")));
            assertTrue(cat(v2, "usr/libexec/demo/helper").contains("helper"));
            ExternalTool list = ExternalTool.run("unsquashfs", "-lln", v2.toString());
            assertTrue(list.output().contains("squashfs-root/usr/bin/demo-latest -> demo"), list.output());
            assertTrue(list.output().contains("-rwxr-xr-x 0/0                      41 1970-01-01 00:00 squashfs-root/usr/bin/demo\n"),
                    list.output());

            SysextRun old = run(base, "create", "--recipe", recipe.toString(), "1.5.0", "-o", out.toString());
            assertEquals(0, old.exitCode(), old::toString);
            Path v1 = out.resolve("demo-1.5.0-x86-64.raw");
            assertTrue(old.err().contains("SUMS"), old.err());
            assertEquals("demo 1.5.0 for x86-64 ()\n", cat(v1, "usr/share/demo/about"));
            String manifest = cat(v1, "usr/share/sysext/demo.json");
            assertTrue(manifest.contains("\"name\": \"helper\", \"version\": \"" + CatalogFixtures.INPUT_VERSION + "\""),
                    manifest);

            // Upstream now pins another helper; the rebuild still takes the recorded one.
            gh.hostFile(URI.create("https://downloads.example.org/demo/1.5.0/helper-version"),
                    "v9.9.9\n".getBytes(StandardCharsets.UTF_8));
            SysextRun rebuild = run(base, "verify", v1.toString(), "--rebuild", "--recipe", recipe.toString());
            assertEquals(0, rebuild.exitCode(), rebuild::toString);
            assertTrue(rebuild.out().contains("IDENTICAL to its rebuild"), rebuild.out());
        }
    }

    @Test
    void aRecipeListsAndBuildsOnlyVersionsItHasInputsFor() throws Exception {
        Path recipe = Files.createDirectories(dir.resolve("old-only"));
        Files.writeString(recipe.resolve("recipe.toml"), """
                name = "old-only"
                description = "inputs up to 2.0 only"
                versions = { source = "github", repository = "example/old", prefix = "v" }
                architectures = { x86-64 = "amd64" }

                [[inputs]]
                name = "old"
                versions = "<2"
                url = "https://github.com/example/old/releases/download/{tag}/old-{arch}"
                to = "usr/bin/old"
                verify = [{ kind = "github-digest" }]

                [check]
                version = "1.5.0"
                command = ["usr/bin/old"]
                """);
        RecipeDefinition d = DeclarativeRecipe.load(recipe).definition();
        try (FakeGitHub gh = FakeGitHub.start()) {
            CatalogFixtures fx = new CatalogFixtures(gh, TestKey.generate("t <t@example.org>"));
            fx.publish(d, "1.5.0", CatalogFixtures.Fault.NONE, 0, 0); // also publishes v999.0.0, beyond the inputs
            gh.release("example", "old", "v2.1.0");
            List<String> base = new ArrayList<>(List.of("--cache", dir.resolve("cache").toString()));
            base.addAll(fx.rewriteOptions());
            SysextRun list = run(fx.rewriteOptions(), "list", "--recipe", recipe.toString());
            assertEquals(0, list.exitCode(), list::toString);
            assertEquals("1.5.0\n", list.out());
            SysextRun create = run(base, "create", "--recipe", recipe.toString(), "-o", dir.resolve("out").toString());
            assertEquals(0, create.exitCode(), create::toString);
            assertTrue(Files.exists(dir.resolve("out/old-only-1.5.0-x86-64.raw")));
            SysextRun beyond = run(base, "create", "--recipe", recipe.toString(), "2.1.0", "-o", dir.resolve("out").toString());
            assertEquals(ExitCode.INPUT_ERROR.code, beyond.exitCode(), beyond::toString);
            assertTrue(beyond.err().contains("old-only 2.1.0: the recipe has no input for this version"), beyond.err());
        }
    }

    /**
     * GitHub reports no digest for assets uploaded before mid-2025: beside a checksum file the
     * github-digest check is then skipped (the checksum still decides), alone it refuses the input.
     */
    @Test
    void anAbsentGitHubDigestIsSkippedBesideAnotherCheckAndRefusedAlone() throws Exception {
        byte[] tool = "#!/bin/sh\necho tool 1.0.0\n".getBytes(StandardCharsets.UTF_8);
        String sha = dev.sysext.fetch.testing.LoopbackServer.sha256(tool);
        for (boolean withChecksum : new boolean[] {true, false}) {
            String name = withChecksum ? "old-checked" : "old-digest-only";
            Path recipe = Files.createDirectories(dir.resolve(name));
            Files.writeString(recipe.resolve("recipe.toml"), """
                    name = "%s"
                    description = "an asset from before GitHub's digests"
                    versions = { source = "github", repository = "example/old", prefix = "v" }
                    architectures = { x86-64 = "amd64" }

                    [[inputs]]
                    name = "tool"
                    url = "https://github.com/example/old/releases/download/{tag}/tool-{arch}"
                    to = "usr/bin/tool"
                    verify = [%s{ kind = "github-digest" }]

                    [check]
                    version = "1.0.0"
                    command = ["usr/bin/tool"]
                    """.formatted(name, withChecksum ? "{ kind = \"checksum\", url = \"{url}.sha256\", format = \"gnu\" }, " : ""));
            try (FakeGitHub gh = FakeGitHub.start()) {
                gh.release("example", "old", "v1.0.0").assetWithDigest("tool-amd64", tool, null)
                        .assetWithDigest("tool-amd64.sha256", (sha + "  tool-amd64\n").getBytes(StandardCharsets.UTF_8), null);
                List<String> base = new ArrayList<>(List.of("--cache", dir.resolve("cache-" + name).toString()));
                for (String rule : gh.rewriteRules()) {
                    base.add("--rewrite-url");
                    base.add(rule);
                }
                Path out = dir.resolve("out-" + name);
                SysextRun r = run(base, "create", "--recipe", recipe.toString(), "1.0.0", "-o", out.toString());
                if (withChecksum) {
                    assertEquals(0, r.exitCode(), r::toString);
                    assertTrue(r.err().contains("tool-amd64.sha256"), r.err());
                    assertTrue(cat(out.resolve(name + "-1.0.0-x86-64.raw"), "usr/bin/tool").contains("tool 1.0.0"));
                } else {
                    assertEquals(ExitCode.VERIFICATION_FAILED.code, r.exitCode(), r::toString);
                    assertTrue(r.err().contains("no digest for tool-amd64"), r.err());
                    assertTrue(!Files.exists(out) || Files.list(out).findAny().isEmpty(), "nothing written");
                }
            }
        }
    }

    /** The command's arguments, then the shared options. */
    private static SysextRun run(List<String> options, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(options);
        return SysextRun.of(all);
    }

    private static String cat(Path image, String path) throws Exception {
        ExternalTool t = ExternalTool.run("unsquashfs", "-cat", image.toString(), path);
        assertEquals(0, t.exitCode(), t.output());
        return t.output();
    }
}
