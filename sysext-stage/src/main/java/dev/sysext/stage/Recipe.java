package dev.sysext.stage;

import dev.sysext.fetch.ReleaseIndex;
import dev.sysext.fetch.Version;
import java.io.IOException;

/**
 * How one extension is made from its upstream releases: which versions exist, which artifacts a
 * version needs (fetched and verified through {@link Upstream}), and how they are laid out in the
 * image. Recipes are services ({@code provides dev.sysext.stage.Recipe with ...} in a module, found
 * by {@link RecipeCatalog}); their static files (units, configs) are resources loaded through the
 * recipe's own class. Adding an extension means adding a recipe, not changing the pipeline.
 */
public interface Recipe {
    /** The extension's name: the image is {@code NAME-VERSION-ARCH.raw}, its metadata {@code extension-release.NAME}. */
    String name();

    /** One line for {@code sysext --help} and listings. */
    String description();

    /**
     * How the recipe's inputs are verified, one line for {@code sysext list}; code recipes that do
     * not say are listed as verifying in code.
     */
    default String verification() {
        return "verified in code (see the recipe's description)";
    }

    /**
     * The releases that can be built, newest first (no drafts, no pre-releases).
     *
     * @throws dev.sysext.fetch.FetchException when the release list cannot be fetched
     */
    ReleaseIndex releases(Upstream upstream) throws IOException;

    /**
     * Fetches and verifies everything {@code version} for {@code architecture} needs. Nothing is
     * written to the image yet, so a failure here leaves no trace.
     *
     * @throws StageException when upstream has no such version or architecture
     * @throws dev.sysext.fetch.VerificationException when an artifact fails verification
     * @throws dev.sysext.fetch.FetchException when an artifact cannot be fetched
     */
    Payload prepare(Version version, Architecture architecture, Upstream upstream) throws IOException;

    /**
     * Like {@link #prepare(Version, Architecture, Upstream)}, with the versions of inputs that
     * resolve their own version (containerd's runc) fixed to {@code inputVersions} (input name to
     * version, as a build manifest records them), so that {@code sysext verify --rebuild} takes what
     * the image was built from. Recipes whose inputs have no versions of their own ignore it.
     *
     * @throws StageException when upstream has no such version or architecture
     * @throws dev.sysext.fetch.VerificationException when an artifact fails verification
     * @throws dev.sysext.fetch.FetchException when an artifact cannot be fetched
     */
    default Payload prepare(Version version, Architecture architecture, Upstream upstream,
                            java.util.Map<String, String> inputVersions) throws IOException {
        return prepare(version, architecture, upstream);
    }
}
