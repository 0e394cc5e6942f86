package dev.sysext.fetch;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A published release.
 *
 * @param tag the git tag, e.g. {@code v2.2.0}
 * @param version the version parsed from the tag ({@code v} stripped)
 * @param draft whether GitHub marks it as a draft
 * @param preRelease whether GitHub marks it as a pre-release or its version is one
 * @param publishedAt when it was published, if it was
 * @param assets its files
 */
public record Release(String tag, Version version, boolean draft, boolean preRelease,
                      Optional<Instant> publishedAt, List<ReleaseAsset> assets) {
    /** Copies the asset list. */
    public Release {
        Objects.requireNonNull(tag);
        Objects.requireNonNull(version);
        Objects.requireNonNull(publishedAt);
        assets = List.copyOf(assets);
    }

    /** The asset called {@code name}. */
    public Optional<ReleaseAsset> asset(String name) {
        return assets.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
