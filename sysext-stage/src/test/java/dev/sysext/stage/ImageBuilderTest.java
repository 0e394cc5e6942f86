package dev.sysext.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.ArtifactFetcher;
import dev.sysext.fetch.DownloadCache;
import dev.sysext.fetch.Evidence;
import dev.sysext.fetch.GitHubReleases;
import dev.sysext.fetch.HttpFetcher;
import dev.sysext.fetch.HttpSettings;
import dev.sysext.fetch.ProgressListener;
import dev.sysext.fetch.ReleaseIndex;
import dev.sysext.fetch.UrlRewriter;
import dev.sysext.fetch.Version;
import dev.sysext.squashfs.WriterOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline with a recipe that needs no network, and the recipe catalog. */
class ImageBuilderTest {
    @TempDir
    Path dir;

    /** A recipe whose payload is a file, and optionally a unit, or fails half way. */
    private record LocalRecipe(boolean unit, boolean failHalfWay) implements Recipe {
        @Override
        public String name() {
            return "hello";
        }

        @Override
        public String description() {
            return "a test recipe";
        }

        @Override
        public ReleaseIndex releases(Upstream upstream) {
            return ReleaseIndex.of(List.of());
        }

        @Override
        public Payload prepare(Version version, Architecture architecture, Upstream upstream) {
            return new Payload() {
                @Override
                public List<Evidence> evidence() {
                    return List.of(Evidence.unverified("https://example.org/hello.tar", "a test", Optional.empty()));
                }

                @Override
                public List<BuildInput> inputs() {
                    return List.of(new BuildInput("hello", version.toString(), URI.create("https://example.org/hello.tar"),
                            "0".repeat(64)));
                }

                @Override
                public void layOut(ImageTree tree) throws IOException {
                    tree.file("usr/bin/hello", true, ("#!/bin/sh\necho " + version + "\n").getBytes(StandardCharsets.UTF_8));
                    if (failHalfWay) {
                        tree.file("etc/hello.conf", false, new byte[0]);
                    }
                    if (unit) {
                        tree.file("usr/lib/systemd/system/hello.service", false, new byte[0]);
                    }
                }
            };
        }
    }

    private Upstream upstream() {
        HttpFetcher http = new HttpFetcher(HttpSettings.defaults(), UrlRewriter.none());
        return new Upstream(http, new GitHubReleases(http, Optional.empty()),
                new ArtifactFetcher(http, new DownloadCache(dir.resolve("cache"))), Optional.empty(), Optional.empty(),
                ProgressListener.NONE);
    }

    private BuildRequest request(Recipe recipe, String os) {
        return new BuildRequest(recipe, Optional.of(Version.parse("1.2.3")), Architecture.ARM64, os, "1.0", 42,
                BuildRequest.imageOptions(WriterOptions.builder(), 42), dir.resolve("out"), "sysext test");
    }

    @Test
    void writesTheExtensionReleaseWithReloadOnlyForUnits() throws Exception {
        BuiltImage withUnit = new ImageBuilder(upstream()).build(request(new LocalRecipe(true, false), "flatcar"));
        assertEquals(dir.resolve("out/hello-1.2.3-arm64.raw"), withUnit.path());
        assertEquals("ID=flatcar\nSYSEXT_LEVEL=1.0\nARCHITECTURE=arm64\nEXTENSION_RELOAD_MANAGER=1\n",
                Unsquashfs.cat(withUnit.path(), "usr/lib/extension-release.d/extension-release.hello"));
        BuiltImage plain = new ImageBuilder(upstream()).build(request(new LocalRecipe(false, false), "_any"));
        assertEquals("ID=_any\nARCHITECTURE=arm64\n",
                Unsquashfs.cat(plain.path(), "usr/lib/extension-release.d/extension-release.hello"));
        assertTrue(Unsquashfs.list(plain.path()).stream().allMatch(l -> l.contains(" 0/0 1970-01-01 00:00 ")));
    }

    @Test
    void recordsTheBuildManifestInTheImage() throws Exception {
        BuiltImage image = new ImageBuilder(upstream()).build(request(new LocalRecipe(true, false), "flatcar"));
        String stored = Unsquashfs.cat(image.path(), "usr/share/sysext/hello.json");
        assertEquals("""
                {
                  "schema": 1,
                  "tool": "sysext test",
                  "recipe": "hello",
                  "version": "1.2.3",
                  "architecture": "arm64",
                  "os": {"id": "flatcar", "sysextLevel": "1.0"},
                  "epoch": 42,
                  "squashfs": {"compression": "gzip", "level": 9, "blockSize": 131072},
                  "inputs": [
                    {"name": "hello", "version": "1.2.3", "url": "https://example.org/hello.tar", "sha256": "%s"}
                  ]
                }
                """.formatted("0".repeat(64)), stored);
        assertEquals(image.manifest(), BuildManifest.parse(stored));
        BuildManifest any = new ImageBuilder(upstream()).build(request(new LocalRecipe(false, false), "_any")).manifest();
        assertEquals(null, any.sysextLevel());
        assertEquals(any, BuildManifest.parse(any.render()));
        StageException e = assertThrows(StageException.class,
                () -> BuildManifest.parse(stored.replace("\"schema\": 1", "\"schema\": 2")));
        assertTrue(e.getMessage().contains("schema 2 is not supported"), e.getMessage());
        e = assertThrows(StageException.class, () -> BuildManifest.parse(stored.replace("\"epoch\": 42", "\"epoch\": \"x\"")));
        assertTrue(e.getMessage().contains("'epoch'"), e.getMessage());
    }

    @Test
    void aFailedBuildKeepsTheExistingImage() throws Exception {
        BuiltImage good = new ImageBuilder(upstream()).build(request(new LocalRecipe(false, false), "_any"));
        byte[] before = Files.readAllBytes(good.path());
        StageException e = assertThrows(StageException.class,
                () -> new ImageBuilder(upstream()).build(request(new LocalRecipe(false, true), "_any")));
        assertTrue(e.getMessage().contains("'etc/hello.conf' is outside usr/ and opt/"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(good.path()));
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertEquals(List.of(good.path()), files.toList());
        }
    }

    @Test
    void badRequestsFailBeforeAnythingIsFetched() {
        assertThrows(IllegalArgumentException.class, () -> request(new LocalRecipe(false, false), "flatcar linux"));
        assertThrows(IllegalArgumentException.class, () -> new BuildRequest(new LocalRecipe(false, false),
                Optional.empty(), Architecture.X86_64, "_any", null, 42, WriterOptions.builder().build(), dir, "sysext test"));
    }

    @Test
    void theCatalogFindsRecipesByNameAndRefusesTwoWithOneName() throws Exception {
        RecipeCatalog catalog = RecipeCatalog.of(List.of(new LocalRecipe(false, false)));
        Recipe only = catalog.all().get(0);
        assertEquals(only, catalog.find(only.name()).orElseThrow());
        StageException e = assertThrows(StageException.class, () -> catalog.require("nginx"));
        assertTrue(e.getMessage().startsWith("unknown extension 'nginx': sysext knows " + only.name() + " "),
                e.getMessage());
        StageException twice = assertThrows(StageException.class,
                () -> RecipeCatalog.of(List.of(new LocalRecipe(false, false), new LocalRecipe(true, false))));
        assertTrue(twice.getMessage().startsWith("two recipes are called '" + only.name() + "'"), twice.getMessage());
    }

    @Test
    void architectures() {
        assertEquals(Architecture.X86_64, Architecture.parse("x86_64"));
        assertEquals(Architecture.X86_64, Architecture.parse("amd64"));
        assertEquals(Architecture.ARM64, Architecture.parse("aarch64"));
        assertEquals("amd64", Architecture.X86_64.goArch());
        assertThrows(IllegalArgumentException.class, () -> Architecture.parse("riscv64"));
    }
}
