package dev.sysext.stage;

import dev.sysext.fetch.Release;
import dev.sysext.fetch.Version;
import dev.sysext.erofs.ErofsCompression;
import dev.sysext.erofs.ErofsOptions;
import dev.sysext.erofs.ErofsWriter;
import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.SquashfsWriter;
import dev.sysext.squashfs.WriteProgress;
import dev.sysext.squashfs.WriterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Builds an image: resolves the version, lets the recipe fetch and verify its artifacts, then
 * streams the recipe's layout and the extension-release file into a SquashFS image. The image is
 * written under a temporary name and renamed into place only when complete, so a failed build never
 * replaces an existing image, and nothing is written at all until every input has verified.
 */
public final class ImageBuilder {
    private final Upstream upstream;

    /** A builder taking its inputs from {@code upstream}. */
    public ImageBuilder(Upstream upstream) {
        this.upstream = upstream;
    }

    /** The image file name for an extension, version and architecture: {@code NAME-VERSION-ARCH.raw}. */
    public static String imageName(String name, Version version, Architecture architecture) {
        return name + "-" + version + "-" + architecture.systemdName() + ".raw";
    }

    /**
     * Builds the image {@code request} describes.
     *
     * @throws StageException when the version does not exist or an artifact holds what an image must not
     * @throws dev.sysext.fetch.VerificationException when an input fails verification
     * @throws dev.sysext.fetch.FetchException when an input cannot be fetched
     */
    public BuiltImage build(BuildRequest request) throws IOException {
        return build(request, WriteProgress.NONE);
    }

    /**
     * Builds the image {@code request} describes, telling {@code progress} how far writing the image
     * has come (it is not called while artifacts are fetched and verified).
     *
     * @throws StageException when the version does not exist or an artifact holds what an image must not
     * @throws dev.sysext.fetch.VerificationException when an input fails verification
     * @throws dev.sysext.fetch.FetchException when an input cannot be fetched
     */
    public BuiltImage build(BuildRequest request, WriteProgress progress) throws IOException {
        return build(request, null, progress);
    }

    /**
     * Builds the image {@code request} describes as EROFS with {@code erofs} (e.g.
     * {@link ErofsCompression#BAKERY}) instead of SquashFS, or as SquashFS when it is null. The EROFS
     * image has the same entries, root ownership, every time the epoch, the zero UUID, and compresses
     * with as many threads as {@code request}'s writer options (the bytes do not depend on it); its
     * manifest records the format and compression.
     *
     * @throws StageException when the version does not exist or an artifact holds what an image must not
     * @throws dev.sysext.fetch.VerificationException when an input fails verification
     * @throws dev.sysext.fetch.FetchException when an input cannot be fetched
     */
    public BuiltImage build(BuildRequest request, ErofsCompression erofs, WriteProgress progress) throws IOException {
        Recipe recipe = request.recipe();
        Version version = request.version().isPresent() ? request.version().get() : latest(recipe);
        Payload payload = recipe.prepare(version, request.architecture(), upstream, request.inputVersions());
        Files.createDirectories(request.outputDirectory());
        Path image = request.outputDirectory().resolve(imageName(recipe.name(), version, request.architecture()));
        ExtensionRelease release;
        BuildManifest manifest = manifest(request, version, payload, erofs);
        if (erofs != null) {
            ErofsOptions options = ErofsOptions.of(request.epoch()).withAllRoot(true)
                    .withFixedInodeTime(OptionalLong.of(request.epoch())).withCompression(erofs)
                    .withThreads(Math.max(1, request.writerOptions().workers()));
            try (ErofsWriter writer = ErofsWriter.create(image, options)) {
                release = layOut(recipe, request, payload, manifest, new ImageTree(writer, request.epoch()));
                writer.finish();
            }
        } else {
            try (SquashfsWriter writer = SquashfsWriter.create(image, request.writerOptions(), progress)) {
                release = layOut(recipe, request, payload, manifest, new ImageTree(writer, request.epoch()));
                writer.finish();
            }
        }
        return new BuiltImage(image, version, release, payload.evidence(), manifest);
    }

    private static ExtensionRelease layOut(Recipe recipe, BuildRequest request, Payload payload, BuildManifest manifest,
            ImageTree tree) throws IOException {
        payload.layOut(tree);
        ExtensionRelease release = new ExtensionRelease(recipe.name(), request.osId(), request.sysextLevel(),
                request.architecture().systemdName(), tree.shipsUnits());
        tree.file(release.path(), false, release.render().getBytes(StandardCharsets.UTF_8));
        tree.file(manifest.path(), false, manifest.bytes());
        return release;
    }

    private static BuildManifest manifest(BuildRequest request, Version version, Payload payload, ErofsCompression erofs) {
        WriterOptions w = request.writerOptions();
        boolean any = ExtensionRelease.ANY.equals(request.osId());
        return new BuildManifest(request.tool(), request.recipe().name(), version, request.architecture(),
                request.osId(), any ? null : request.sysextLevel(), request.epoch(),
                erofs != null ? Compression.LZ4 : w.compression(), erofs != null ? 0 : w.compressor().compressionLevel().orElse(0),
                erofs != null ? 4096 : w.blockSize(), payload.inputs(), erofs);
    }

    private Version latest(Recipe recipe) throws IOException {
        return recipe.releases(upstream).latest().map(Release::version).orElseThrow(
                () -> new StageException(recipe.name() + ": upstream lists no release"));
    }
}
