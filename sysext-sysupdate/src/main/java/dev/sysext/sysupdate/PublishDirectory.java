package dev.sysext.sysupdate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of released images, {@code NAME-VERSION-ARCH.raw}, served as a systemd-sysupdate
 * {@code url-file} source: {@link #publish} writes its {@code SHA256SUMS} and, with a key,
 * {@code SHA256SUMS.gpg}.
 */
public final class PublishDirectory {
    /** Semantic-version style pre-release markers after the numeric part: -rc.1, rc1, -beta, .alpha2. */
    private static final Pattern PRE_RELEASE = Pattern.compile(
            "(?i).*[0-9][-._+]?(alpha|beta|rc|pre|preview|dev|snapshot|nightly)([-._+0-9].*)?");
    /** The characters systemd-sysupdate (254) accepts in a version. */
    private static final Pattern SYSUPDATE_VERSION = Pattern.compile("[A-Za-z0-9.,_+-]+");

    private final Path dir;

    /** The publish directory at {@code dir}, which must exist when publishing. */
    public PublishDirectory(Path dir) {
        this.dir = dir;
    }

    /** What {@link #publish} wrote. */
    public record Published(ReleaseManifest manifest, List<ImageName> images, List<ImageName> omitted,
            List<String> ignored, Optional<Path> signature) {
    }

    /** Whether systemd would order this version after the release it precedes. */
    public static boolean isPreRelease(String version) {
        return PRE_RELEASE.matcher(version).matches();
    }

    /**
     * Hashes every released image and replaces {@code SHA256SUMS} (and {@code SHA256SUMS.gpg} when
     * {@code key} is present) atomically. Files named {@code *.raw} that are not of the
     * {@code NAME-VERSION-ARCH.raw} form are listed as ignored.
     *
     * @param signatureTime the signature's creation time (e.g. SOURCE_DATE_EPOCH for reproducible output)
     * @throws IllegalArgumentException when there is no image, a version systemd-sysupdate rejects, a
     *         pre-release under {@link PreReleasePolicy#REFUSE}, or an existing signature but no key
     */
    public Published publish(Optional<SigningKey> key, PreReleasePolicy preReleases, Instant signatureTime)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": not a directory");
        }
        Path signature = dir.resolve(ReleaseManifest.SIGNATURE_FILE_NAME);
        if (key.isEmpty() && Files.exists(signature, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(dir + ": has a " + ReleaseManifest.SIGNATURE_FILE_NAME
                    + " that would no longer match; give the signing key to sign again, or delete it to"
                    + " publish unsigned");
        }
        List<ImageName> images = new ArrayList<>();
        List<ImageName> omitted = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<String> preReleaseNames = new ArrayList<>();
        for (Path file : regularFiles()) {
            String fileName = file.getFileName().toString();
            Optional<ImageName> image = ImageName.parse(fileName);
            if (image.isEmpty()) {
                if (fileName.endsWith(".raw")) {
                    ignored.add(fileName);
                }
                continue;
            }
            String version = image.get().version();
            if (!SYSUPDATE_VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException(dir.resolve(fileName) + ": version '" + version
                        + "' has characters systemd-sysupdate rejects (it accepts letters, digits and . , _ + -)");
            }
            if (isPreRelease(version)) {
                if (preReleases == PreReleasePolicy.OMIT) {
                    omitted.add(image.get());
                    continue;
                }
                preReleaseNames.add(fileName);
            }
            images.add(image.get());
        }
        if (!preReleaseNames.isEmpty()) {
            throw new IllegalArgumentException(dir + ": pre-release images " + String.join(", ", preReleaseNames)
                    + " would outrank their release (systemd-sysupdate orders 2.2.0-rc.1 after 2.2.0 and"
                    + " rejects '~' in versions); publish pre-releases in a directory of their own, or"
                    + " leave them out of SHA256SUMS");
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no NAME-VERSION-ARCH.raw image to release"
                    + " (ARCH is x86-64 or arm64)");
        }
        List<ReleaseManifest.Entry> entries = new ArrayList<>();
        for (ImageName image : images) {
            entries.add(new ReleaseManifest.Entry(image.fileName(), ImageDigest.sha256(dir.resolve(image.fileName()))));
        }
        ReleaseManifest manifest = new ReleaseManifest(entries);
        byte[] bytes = manifest.encode();
        Optional<Path> signed = Optional.empty();
        if (key.isPresent()) {
            // Signature first: a reader that sees the new manifest then finds its signature already there
            // unless it fetched the old signature just before; either way sysupdate fails safe and retries.
            byte[] sig = key.get().signDetached(new ByteArrayInputStream(bytes), signatureTime);
            new OutputFile(ReleaseManifest.SIGNATURE_FILE_NAME, sig, OutputFile.PUBLIC).writeInto(dir);
            signed = Optional.of(signature);
        }
        new OutputFile(ReleaseManifest.FILE_NAME, bytes, OutputFile.PUBLIC).writeInto(dir);
        List<ImageName> published = manifest.entries().stream()
                .map(e -> ImageName.parse(e.fileName()).orElseThrow()).toList();
        return new Published(manifest, published, omitted, ignored, signed);
    }

    private List<Path> regularFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
