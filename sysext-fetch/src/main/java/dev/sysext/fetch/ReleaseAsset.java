package dev.sysext.fetch;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A file attached to a release.
 *
 * @param name the file name, e.g. {@code containerd-static-2.2.0-linux-amd64.tar.gz}
 * @param url where to download it ({@code browser_download_url})
 * @param size its size in bytes as the API reports it
 * @param digest the API's digest, e.g. {@code sha256:<hex>}, on assets that have one
 */
public record ReleaseAsset(String name, URI url, long size, Optional<String> digest) {
    /** Checks for nulls. */
    public ReleaseAsset {
        Objects.requireNonNull(name);
        Objects.requireNonNull(url);
        Objects.requireNonNull(digest);
    }
}
