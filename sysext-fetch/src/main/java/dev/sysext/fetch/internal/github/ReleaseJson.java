package dev.sysext.fetch.internal.github;

import dev.sysext.fetch.Release;
import dev.sysext.fetch.ReleaseAsset;
import dev.sysext.fetch.Version;
import dev.sysext.fetch.internal.json.JsonTree;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the GitHub releases API's JSON into {@link Release}s. */
public final class ReleaseJson {
    private ReleaseJson() {
    }

    /**
     * The releases of one page (a JSON array). Releases whose tag is not a version are left out.
     *
     * @throws IllegalArgumentException when the JSON is not a list of release objects
     */
    public static List<Release> page(String json) {
        if (!(JsonTree.parse(json) instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a JSON array of releases");
        }
        List<Release> out = new ArrayList<>();
        for (Object o : list) {
            release(o).ifPresent(out::add);
        }
        return out;
    }

    /** One release (a JSON object), empty when its tag is not a version. */
    public static Optional<Release> one(String json) {
        return release(JsonTree.parse(json));
    }

    private static Optional<Release> release(Object o) {
        Map<?, ?> m = object(o, "release");
        String tag = string(m, "tag_name");
        Optional<Version> version = Version.tryParse(tag.substring(tag.lastIndexOf('/') + 1));
        if (version.isEmpty()) {
            return Optional.empty();
        }
        List<ReleaseAsset> assets = new ArrayList<>();
        if (m.get("assets") instanceof List<?> list) {
            for (Object a : list) {
                Map<?, ?> am = object(a, "asset");
                Object size = am.get("size");
                Object digest = am.get("digest");
                assets.add(new ReleaseAsset(string(am, "name"), URI.create(string(am, "browser_download_url")),
                        size instanceof BigDecimal b ? b.longValueExact() : -1,
                        digest instanceof String d && !d.isBlank() ? Optional.of(d) : Optional.empty()));
            }
        }
        boolean pre = Boolean.TRUE.equals(m.get("prerelease")) || version.get().isPreRelease();
        return Optional.of(new Release(tag, version.get(), Boolean.TRUE.equals(m.get("draft")), pre,
                instant(m.get("published_at")), assets));
    }

    private static Optional<Instant> instant(Object o) {
        if (o instanceof String s) {
            try {
                return Optional.of(Instant.parse(s));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Map<?, ?> object(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException("expected a JSON object for a " + what);
    }

    private static String string(Map<?, ?> m, String key) {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("missing string field '" + key + "'");
    }
}
