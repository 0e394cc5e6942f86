package dev.sysext.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sysext.fetch.ArtifactFetcher;
import dev.sysext.fetch.Checksum;
import dev.sysext.fetch.DownloadCache;
import dev.sysext.fetch.GitHubReleases;
import dev.sysext.fetch.HashAlgorithm;
import dev.sysext.fetch.HttpFetcher;
import dev.sysext.fetch.HttpSettings;
import dev.sysext.fetch.ProgressListener;
import dev.sysext.fetch.TrustedKeys;
import dev.sysext.fetch.UrlRewriter;
import dev.sysext.fetch.Version;
import dev.sysext.fetch.testing.FakeGitHub;
import dev.sysext.fetch.testing.LoopbackServer;
import dev.sysext.fetch.testing.TestArchive;
import dev.sysext.fetch.testing.TestKey;
import dev.sysext.squashfs.WriterOptions;
import dev.sysext.stage.Architecture;
import dev.sysext.stage.BuildRequest;
import dev.sysext.stage.BuiltImage;
import dev.sysext.stage.ImageBuilder;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.Upstream;
import dev.sysext.stage.recipe.DeclarativeRecipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's containerd recipe builds the very images the Java {@code ContainerdRecipe} (removed
 * after this test proved them equal) built from the same loopback upstream: containerd 2.x (config
 * version 3) and 1.x (version 2), both architectures. The SHA-256 values were recorded from the
 * Java recipe's images, and recorded again from it when main's manifests began to record the
 * effective compression level (merge of main into catalog; the Java and declarative images were
 * again byte-identical). The fixtures are deterministic (the tarballs are gzipped by the JDK, the
 * images by zlib), so a change of any byte of the layout, the metadata or the build manifest shows
 * here.
 */
class ContainerdImagesTest {
    /** The images of the Java recipe, by "VERSION ARCH". */
    private static final Map<String, String> JAVA_RECIPE_IMAGES = Map.of(
            "2.2.0 x86-64", "0b2074c9ba8a5eae8f9e8fc36122a8427b42576ccec0a06ec59ffc2d7f9d4dc7",
            "2.2.0 arm64", "d6e5a5d1b5ed99166c76649fa990a70b134da6f05be444246daf0c3de8da8f8f",
            "1.7.29 x86-64", "663b8f821286de9c80627fdd0234f4bd9972d55ee8c4492c928b217cd21b868a");

    @TempDir
    Path dir;

    @Test
    void theDeclarativeRecipeBuildsTheJavaRecipesImagesByteForByte() throws Exception {
        try (FakeGitHub gh = FakeGitHub.start()) {
            TestKey key = TestKey.generate("runc test maintainer <runc@example.org>");
            runc(gh, "v1.3.3", key);
            runc(gh, "v1.2.8", key);
            containerd(gh, "2.2.0", "v1.3.3");
            containerd(gh, "1.7.29", "v1.2.8");
            HttpFetcher http = new HttpFetcher(HttpSettings.defaults(), UrlRewriter.of(gh.rewriteRules()));
            Upstream upstream = new Upstream(http, new GitHubReleases(http, Optional.empty()),
                    new ArtifactFetcher(http, new DownloadCache(dir.resolve("cache"))),
                    Optional.of(TrustedKeys.parse(key.publicKeyring(), "test key")), Optional.empty(),
                    ProgressListener.NONE);
            Recipe declarative = DeclarativeRecipe.load(CatalogRecipes.root().resolve("containerd"));
            for (Map.Entry<String, String> e : JAVA_RECIPE_IMAGES.entrySet()) {
                String[] va = e.getKey().split(" ");
                BuiltImage b = build(upstream, declarative, va[0], va[1], dir.resolve("declarative"));
                assertEquals(e.getValue(), Checksum.hash(HashAlgorithm.SHA256, b.path()), e.getKey()
                        + ": the image differs from the Java recipe's; compare with `sqfsdiff` and `unsquashfs -lln`");
            }
        }
    }

    private static BuiltImage build(Upstream upstream, Recipe recipe, String version, String arch, Path out)
            throws Exception {
        BuildRequest request = new BuildRequest(recipe, Optional.of(Version.parse(version)), Architecture.parse(arch),
                "_any", "1.0", 1_700_000_000L, BuildRequest.imageOptions(WriterOptions.builder().workers(2),
                1_700_000_000L), out, "sysext test");
        return new ImageBuilder(upstream).build(request);
    }

    /** A containerd-static tarball whose binaries are scripts, for both architectures, with checksum files. */
    static void containerd(FakeGitHub gh, String version, String runc) {
        FakeGitHub.Release r = gh.release("containerd", "containerd", "v" + version);
        for (String arch : List.of("amd64", "arm64")) {
            byte[] tgz = new TestArchive().directory("bin")
                    .file("bin/containerd", 0755, "#!/bin/sh\necho containerd v" + version + " " + arch + "\n")
                    .file("bin/containerd-shim-runc-v2", 0755, "#!/bin/sh\necho shim\n")
                    .file("bin/ctr", 0755, "#!/bin/sh\necho ctr\n")
                    .file("bin/containerd-stress", 0755, "#!/bin/sh\necho stress\n")
                    .bytes("tar.gz");
            String name = "containerd-static-" + version + "-linux-" + arch + ".tar.gz";
            r.asset(name, tgz);
            r.asset(name + ".sha256sum", (LoopbackServer.sha256(tgz) + "  " + name + "\n").getBytes(StandardCharsets.UTF_8));
        }
        gh.rawFile("containerd/containerd/refs/tags/v" + version + "/script/setup/runc-version",
                (runc + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** runc binaries with detached signatures and a clear-signed runc.sha256sum. */
    static void runc(FakeGitHub gh, String tag, TestKey key) {
        FakeGitHub.Release r = gh.release("opencontainers", "runc", tag);
        StringBuilder sums = new StringBuilder();
        for (String arch : List.of("amd64", "arm64")) {
            byte[] bin = ("#!/bin/sh\necho runc " + tag + " " + arch + "\n").getBytes(StandardCharsets.UTF_8);
            r.asset("runc." + arch, bin);
            r.asset("runc." + arch + ".asc", key.signDetached(bin, true));
            sums.append(Checksum.hash(HashAlgorithm.SHA256, bin)).append("  runc.").append(arch).append('\n');
        }
        r.asset("runc.sha256sum", key.clearSign(sums.toString()));
    }
}
