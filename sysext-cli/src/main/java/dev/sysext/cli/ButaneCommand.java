package dev.sysext.cli;

import dev.sysext.sysupdate.ButaneConfig;
import dev.sysext.sysupdate.ImageDigest;
import dev.sysext.sysupdate.ImageName;
import dev.sysext.sysupdate.OutputFile;
import dev.sysext.sysupdate.PublicKeyring;
import dev.sysext.sysupdate.PublishDirectory;
import dev.sysext.sysupdate.ReleaseManifest;
import dev.sysext.sysupdate.TransferDefinition;
import dev.sysext.sysupdate.VersionOrder;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sysext butane}: the Butane config that deploys an extension on Flatcar and keeps it updated. */
@Command(name = "butane", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  sysext butane containerd --base-url https://example.com/sysext/c \\",
            "      --release-dir publish/ --keyring keys/import-pubring.gpg > c.bu",
            "  butane --strict c.bu > c.ign"},
        header = "Write a Butane config that deploys an extension on Flatcar and keeps it updated.",
        description = {"Write a Butane config (variant flatcar, version 1.1.0) that installs extension NAME"
                + " from the publish directory at URL and keeps it updated with systemd-sysupdate.",
            "The image's SHA-512 comes from the image file itself: NAME-VERSION-ARCH.raw in --release-dir"
                + " (default: the current directory), or --image. Without VERSION the newest release there is"
                + " used. When the directory has a SHA256SUMS, the image must be listed in it.",
            "For containerd and docker, Flatcar's built-in containerd-flatcar and docker-flatcar images are"
                + " masked and NAME.service is enabled unless --mask/--enable say otherwise."})
final class ButaneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The extension name, e.g. containerd.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "The version to deploy first.")
    String version;

    @Parameters(index = "2", arity = "0..1", paramLabel = "ARCH", defaultValue = "x86-64",
            description = "x86-64 (default) or arm64.")
    String arch;

    @Option(names = "--base-url", required = true, paramLabel = "URL",
            description = "The URL of the publish directory: the image's download and systemd-sysupdate's Path=.")
    String baseUrl;

    @Option(names = "--release-dir", paramLabel = "DIR", defaultValue = ".",
            description = "The local copy of the publish directory (default: the current directory).")
    Path releaseDir;

    @Option(names = "--image", paramLabel = "FILE",
            description = "The image file, instead of looking in --release-dir.")
    Path image;

    @Option(names = "--keyring", paramLabel = "FILE",
            description = "The public key (import-pubring.gpg or an armored key) hosts verify releases with."
                    + " Required unless --no-verify.")
    Path keyring;

    @Option(names = "--containerd-config", paramLabel = "FILE",
            description = "Install FILE as /etc/containerd/config.toml.")
    Path containerdConfig;

    @Option(names = "--mask", paramLabel = "IMAGE",
            description = "Mask the built-in extension IMAGE (e.g. containerd-flatcar) with a link to"
                    + " /dev/null (repeatable).")
    List<String> masks;

    @Option(names = "--enable", paramLabel = "UNIT", description = "Enable UNIT (repeatable).")
    List<String> enabledUnits;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Mixin
    TransferOptions options;

    @Override
    public Integer call() throws Exception {
        if (!arch.equals("x86-64") && !arch.equals("arm64")) {
            throw new CommandFailure(ExitCode.USAGE, "ARCH must be x86-64 or arm64, not '" + arch + "'");
        }
        TransferDefinition transfer = options.transfer(name, baseUrl);
        Path imageFile = image != null ? image : findImage(transfer);
        ImageName imageName = ImageName.parse(imageFile.getFileName().toString())
                .orElseThrow(() -> new CommandFailure(ExitCode.INPUT_ERROR,
                        imageFile + ": not named NAME-VERSION-ARCH.raw"));
        if (!imageName.name().equals(name) || !imageName.architecture().equals(arch)
                || (version != null && !imageName.version().equals(version))) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, imageFile + ": not the image of " + name + " "
                    + (version == null ? "" : version + " ") + "for " + arch);
        }
        checkPublished(imageFile, imageName);
        Optional<byte[]> keys = Optional.empty();
        if (keyring != null) {
            keys = Optional.of(PublicKeyring.toBinary(Files.readAllBytes(keyring), keyring.toString()));
        } else if (transfer.verify()) {
            throw new CommandFailure(ExitCode.USAGE, "--keyring FILE is needed: hosts verify SHA256SUMS.gpg"
                    + " with it (or give --no-verify for a release that is not signed)");
        }
        boolean flatcarRuntime = name.equals("containerd") || name.equals("docker");
        List<String> masked = masks != null ? masks
                : flatcarRuntime ? List.of("containerd-flatcar", "docker-flatcar") : List.of();
        List<String> enabled = enabledUnits != null ? enabledUnits
                : flatcarRuntime ? List.of(name + ".service") : List.of();
        Optional<String> config = containerdConfig == null ? Optional.empty() : Optional.of(text(containerdConfig));

        ButaneConfig butane = new ButaneConfig(imageName, ImageDigest.sha512(imageFile), options.dropIn(transfer),
                options.transferSuffix, keys, masked, enabled, config);
        String yaml = butane.render();
        if (output == null) {
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
        } else {
            Path dir = output.toAbsolutePath().getParent();
            OutputFile.text(output.getFileName().toString(), yaml).writeInto(dir);
        }
        return 0;
    }

    private Path findImage(TransferDefinition transfer) throws IOException {
        if (version != null) {
            Path file = releaseDir.resolve(new ImageName(name, version, arch).fileName());
            if (!Files.isRegularFile(file)) {
                throw new CommandFailure(ExitCode.INPUT_ERROR, file + ": no such image");
            }
            return file;
        }
        try (Stream<Path> files = Files.list(releaseDir)) {
            return files.map(f -> ImageName.parse(f.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .filter(n -> n.name().equals(name) && n.architecture().equals(arch))
                    .filter(n -> transfer.follows(n.version()) && !PublishDirectory.isPreRelease(n.version()))
                    .max(Comparator.comparing(ImageName::version, VersionOrder.SYSTEMD))
                    .map(n -> releaseDir.resolve(n.fileName()))
                    .orElseThrow(() -> new CommandFailure(ExitCode.INPUT_ERROR, releaseDir + ": no " + name
                            + "-VERSION-" + arch + ".raw image"
                            + transfer.minorLine().map(m -> " of the " + m + " line").orElse("")));
        }
    }

    /** An image missing from the directory's manifest would install but never verify on the host. */
    private static void checkPublished(Path imageFile, ImageName imageName) throws IOException {
        Path manifestFile = imageFile.toAbsolutePath().resolveSibling(ReleaseManifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            return;
        }
        ReleaseManifest manifest = ReleaseManifest.parse(Files.readString(manifestFile));
        byte[] listed = manifest.entries().stream().filter(e -> e.fileName().equals(imageName.fileName()))
                .findFirst().map(ReleaseManifest.Entry::sha256)
                .orElseThrow(() -> new CommandFailure(ExitCode.INPUT_ERROR, manifestFile + ": does not list "
                        + imageName.fileName() + "; run sysext release first"));
        if (!Arrays.equals(listed, ImageDigest.sha256(imageFile))) {
            throw new CommandFailure(ExitCode.VERIFICATION_FAILED, imageFile + ": does not match its SHA-256 in "
                    + manifestFile + "; run sysext release again");
        }
    }

    private static String text(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, file + ": not UTF-8 text");
        }
    }
}
