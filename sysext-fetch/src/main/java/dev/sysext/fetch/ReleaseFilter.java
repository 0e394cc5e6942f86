package dev.sysext.fetch;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which releases count. By default drafts and pre-releases are out, and only tags that look like
 * versions ({@code v2.2.0}, {@code 1.7.29}) are in: containerd's {@code api/v1.9.0} tags are not
 * releases of containerd.
 *
 * @param drafts whether drafts are kept
 * @param preReleases whether pre-releases are kept
 * @param tagPattern tags must match this pattern in full
 */
public record ReleaseFilter(boolean drafts, boolean preReleases, Pattern tagPattern) {
    /** Version-like tags: an optional {@code v}, then digits and dots, then optional pre-release/build. */
    public static final Pattern VERSION_TAGS = Pattern.compile("v?\\d+(\\.\\d+)*([-+][0-9A-Za-z.+-]+)?");

    /** Checks for null. */
    public ReleaseFilter {
        Objects.requireNonNull(tagPattern);
    }

    /** No drafts, no pre-releases, version-like tags only. */
    public static ReleaseFilter defaults() {
        return new ReleaseFilter(false, false, VERSION_TAGS);
    }

    /** This filter keeping pre-releases too. */
    public ReleaseFilter withPreReleases() {
        return new ReleaseFilter(drafts, true, tagPattern);
    }

    /** This filter with another tag pattern (a regular expression matched against the whole tag). */
    public ReleaseFilter withTagPattern(String regex) {
        return new ReleaseFilter(drafts, preReleases, Pattern.compile(regex));
    }

    /** Whether {@code r} passes. */
    public boolean accepts(Release r) {
        return (drafts || !r.draft()) && (preReleases || !r.preRelease())
                && tagPattern.matcher(r.tag()).matches();
    }
}
