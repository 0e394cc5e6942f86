package dev.sysext.stage.containerd;

import dev.sysext.fetch.ArtifactRequest;
import dev.sysext.fetch.Checksum;
import dev.sysext.fetch.Evidence;
import dev.sysext.fetch.HashAlgorithm;
import dev.sysext.fetch.FetchException;
import dev.sysext.fetch.ReleaseFilter;
import dev.sysext.fetch.ReleaseIndex;
import dev.sysext.fetch.TrustedKeys;
import dev.sysext.fetch.Verification;
import dev.sysext.fetch.VerificationException;
import dev.sysext.fetch.VerifiedArtifact;
import dev.sysext.fetch.Version;
import dev.sysext.stage.Architecture;
import dev.sysext.stage.BuildInput;
import dev.sysext.stage.ImageTree;
import dev.sysext.stage.Payload;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.StageException;
import dev.sysext.stage.Upstream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * containerd with the runc it was tested with, as Flatcar's sysext-bakery lays it out: the static
 * release tarball's {@code bin/*} in {@code usr/bin}, runc as {@code usr/bin/runc}, a unit, an
 * {@code Upholds=} drop-in and a default configuration (version 3 for containerd 2.x, version 2
 * for 1.x) with a cgroupfs variant. The tarball is checked against its {@code .sha256sum}; runc
 * against its detached signature and the clear-signed {@code runc.sha256sum}, both by the runc
 * maintainers' keys.
 */
public final class ContainerdRecipe implements Recipe {
    private static final String OWNER = "containerd";
    private static final String REPO = "containerd";
    private static final Pattern RUNC_VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.]+)?");
    private static final Pattern BIN_ENTRY = Pattern.compile("bin/[^/]+");

    /** The service constructor. */
    public ContainerdRecipe() {
    }

    @Override
    public String name() {
        return "containerd";
    }

    @Override
    public String description() {
        return "containerd and runc from their GitHub releases, verified (sha256, runc's OpenPGP signatures)";
    }

    @Override
    public ReleaseIndex releases(Upstream upstream) throws IOException {
        return upstream.github().list(OWNER, REPO, ReleaseFilter.defaults());
    }

    @Override
    public Payload prepare(Version version, Architecture architecture, Upstream upstream) throws IOException {
        String tag = "v" + version;
        String runc = runcVersion(tag, upstream);
        String base = "https://github.com/" + OWNER + "/" + REPO + "/releases/download/" + tag + "/";
        String tarball = "containerd-static-" + version + "-linux-" + architecture.goArch() + ".tar.gz";
        URI tarballUrl = URI.create(base + tarball);
        VerifiedArtifact containerd;
        try {
            containerd = upstream.fetchRelease(ArtifactRequest.of(tarballUrl)
                    .verifiedBy(Verification.checksumFile(URI.create(base + tarball + ".sha256sum"))));
        } catch (FetchException e) {
            if (!isNotFound(e)) {
                throw e;
            }
            // The checksum file is fetched first: when it is missing, so is the build.
            throw new StageException("containerd " + version + " has no static build for " + architecture
                    + " (" + e.url().orElse(tarballUrl) + " is not there)", e);
        }

        String runcBase = "https://github.com/opencontainers/runc/releases/download/" + runc + "/";
        String runcFile = "runc." + architecture.goArch();
        TrustedKeys keys = upstream.trustedKeys("runc maintainers", RuncKeys.KEYRING, RuncKeys.FINGERPRINTS);
        URI runcUrl = URI.create(runcBase + runcFile);
        VerifiedArtifact runcBinary;
        try {
            runcBinary = upstream.fetch(ArtifactRequest.of(runcUrl)
                    .verifiedBy(Verification.detachedSignature(URI.create(runcBase + runcFile + ".asc"), keys))
                    .verifiedBy(Verification.signedChecksumFile(URI.create(runcBase + "runc.sha256sum"), keys)));
        } catch (FetchException e) {
            if (!isNotFound(e) || e.url().isEmpty()) {
                throw e;
            }
            URI missing = e.url().get();
            if (missing.equals(runcUrl)) {
                throw new StageException("runc " + runc + " has no binary for " + architecture + " (" + runcUrl
                        + " is not there)", e);
            }
            // A signature that is not there is a verification failure, not a network problem.
            throw new VerificationException(missing + ": not found (HTTP 404); runc is never used without its"
                    + " signatures", e);
        }

        List<Evidence> evidence = new ArrayList<>(containerd.evidence());
        evidence.add(Evidence.derivedVersion("runc", runc, "containerd " + tag + "'s script/setup/runc-version"));
        evidence.addAll(runcBinary.evidence());
        List<BuildInput> inputs = List.of(
                new BuildInput("containerd", version.toString(), tarballUrl,
                        Checksum.hash(HashAlgorithm.SHA256, containerd.path())),
                new BuildInput("runc", runc, runcUrl, Checksum.hash(HashAlgorithm.SHA256, runcBinary.path())));
        return new ContainerdPayload(version, containerd.path(), runcBinary.path(), evidence, inputs);
    }

    /** The runc version containerd's release was tested with, from its source tree at the tag. */
    private static String runcVersion(String tag, Upstream upstream) throws IOException {
        URI url = URI.create("https://raw.githubusercontent.com/" + OWNER + "/" + REPO + "/refs/tags/" + tag
                + "/script/setup/runc-version");
        String text;
        try {
            text = upstream.http().fetchText(url).strip();
        } catch (FetchException e) {
            if (!isNotFound(e)) {
                throw e;
            }
            throw new StageException("containerd has no release " + tag + " (" + url
                    + " is not there); see `sysext list containerd`", e);
        }
        if (!RUNC_VERSION.matcher(text).matches()) {
            throw new StageException(url + ": expected a runc version such as v1.3.3, found '"
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
        }
        return text.startsWith("v") ? text : "v" + text;
    }

    private static boolean isNotFound(FetchException e) {
        return e.status().isPresent() && e.status().getAsInt() == 404;
    }

    /** The verified containerd tarball and runc binary, and how they are laid out. */
    private record ContainerdPayload(Version version, Path tarball, Path runc, List<Evidence> evidence,
                                     List<BuildInput> inputs) implements Payload {
        @Override
        public void layOut(ImageTree tree) throws IOException {
            int added = tree.tarball(tarball, name -> BIN_ENTRY.matcher(name).matches()
                    ? Optional.of("usr/" + name) : Optional.empty());
            if (added == 0) {
                throw new StageException(tarball + ": holds no bin/* files; is it a containerd release tarball?");
            }
            tree.file("usr/bin/runc", true, runc);
            tree.resource("usr/lib/systemd/system/containerd.service", false, ContainerdRecipe.class, "containerd.service");
            tree.resource("usr/lib/systemd/system/multi-user.target.d/10-containerd.conf", false, ContainerdRecipe.class,
                    "10-containerd.conf");
            String config = version.major() >= 2 ? "config-v3" : "config-v2";
            tree.resource("usr/share/containerd/config.toml", false, ContainerdRecipe.class, config + ".toml");
            tree.resource("usr/share/containerd/config-cgroupfs.toml", false, ContainerdRecipe.class,
                    config + "-cgroupfs.toml");
        }
    }
}
