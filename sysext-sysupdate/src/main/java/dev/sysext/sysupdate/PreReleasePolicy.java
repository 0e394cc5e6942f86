package dev.sysext.sysupdate;

/**
 * What a release does with pre-release images. systemd-sysupdate orders {@code 2.2.0-rc.1} after
 * {@code 2.2.0} and does not accept {@code ~} in versions, so a pre-release in the same manifest as
 * its release would be installed instead of it, or never replaced by it. Publish pre-releases in a
 * directory of their own (another {@code Path=}, a separate channel) instead.
 */
public enum PreReleasePolicy {
    /** Fail, naming the pre-release images (the default). */
    REFUSE,
    /** Leave pre-release images out of {@code SHA256SUMS}: systemd-sysupdate will not see them. */
    OMIT
}
