package dev.sysext.stage;

import java.net.URI;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One upstream artifact an image was built from, as its build manifest records it.
 *
 * @param name what the artifact is ({@code containerd}, {@code runc})
 * @param version its upstream version or tag
 * @param url where the recipe takes it from: the upstream URL, before any {@code --rewrite-url}
 *     (so the record does not depend on the mirror used)
 * @param sha256 the SHA-256 of the bytes that went into the image, lowercase hex
 * @param verified false when nothing verified the artifact (the user allowed it with
 *     {@code --allow-unverified}); the manifest then says so
 */
public record BuildInput(String name, String version, URI url, String sha256, boolean verified) {
    /** A verified input. */
    public BuildInput(String name, String version, URI url, String sha256) {
        this(name, version, url, sha256, true);
    }

    /** Checks the fields. */
    public BuildInput {
        Objects.requireNonNull(name);
        Objects.requireNonNull(version);
        Objects.requireNonNull(url);
        if (sha256.length() != 64 || !sha256.chars().allMatch(c -> HexFormat.isHexDigit(c) && !Character.isUpperCase(c))) {
            throw new IllegalArgumentException("sha256 of " + name + " must be 64 lowercase hex digits: '" + sha256 + "'");
        }
    }
}
