package dev.sysext.fetch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A set of releases ordered newest version first, and the selections users ask for. */
public final class ReleaseIndex {
    private final List<Release> newestFirst;

    private ReleaseIndex(List<Release> newestFirst) {
        this.newestFirst = newestFirst;
    }

    /** Orders {@code releases} by version, newest first (ties keep their given order). */
    public static ReleaseIndex of(List<Release> releases) {
        List<Release> sorted = new ArrayList<>(releases);
        sorted.sort(Comparator.comparing(Release::version).reversed());
        return new ReleaseIndex(List.copyOf(sorted));
    }

    /** All releases, newest first. */
    public List<Release> newestFirst() {
        return newestFirst;
    }

    /** The newest release, if any. */
    public Optional<Release> latest() {
        return newestFirst.stream().findFirst();
    }

    /** The release of {@code version} (compared as versions: {@code v2.2.0} finds {@code 2.2.0}). */
    public Optional<Release> find(Version version) {
        return newestFirst.stream().filter(r -> r.version().compareTo(version) == 0).findFirst();
    }

    /**
     * The newest patch release of each of the {@code lines} newest minor lines, newest first; what
     * the bakery's {@code list --latest} shows (with 5 lines).
     */
    public List<Release> newestPatchPerMinorLine(int lines) {
        Map<String, Release> byLine = new LinkedHashMap<>();
        for (Release r : newestFirst) {
            if (byLine.size() >= lines && !byLine.containsKey(r.version().minorLine())) {
                break;
            }
            byLine.putIfAbsent(r.version().minorLine(), r);
        }
        return List.copyOf(byLine.values());
    }
}
