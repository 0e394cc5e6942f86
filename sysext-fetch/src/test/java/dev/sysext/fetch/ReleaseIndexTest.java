package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseIndexTest {

    private static Release release(String tag, boolean draft, boolean pre) {
        Version v = Version.parse(tag.substring(tag.lastIndexOf('/') + 1));
        return new Release(tag, v, draft, pre || v.isPreRelease(), Optional.empty(), List.of());
    }

    @Test
    void newestPatchOfEachOfTheNewestMinorLines() {
        ReleaseIndex idx = ReleaseIndex.of(List.of("v1.6.38", "v1.7.28", "v1.7.29", "v2.0.6", "v2.0.7", "v2.1.4",
                "v2.1.5", "v2.2.0", "v2.2.1", "v2.2.10", "v2.2.9", "v1.5.18").stream()
                .map(t -> release(t, false, false)).toList());
        assertEquals(List.of("2.2.10", "2.1.5", "2.0.7", "1.7.29", "1.6.38"),
                idx.newestPatchPerMinorLine(5).stream().map(r -> r.version().toString()).toList());
        assertEquals(List.of("2.2.10", "2.1.5"),
                idx.newestPatchPerMinorLine(2).stream().map(r -> r.version().toString()).toList());
        assertEquals("v2.2.10", idx.latest().orElseThrow().tag());
        assertEquals("v2.2.9", idx.find(Version.parse("2.2.9")).orElseThrow().tag());
        assertTrue(idx.find(Version.parse("3.0.0")).isEmpty());
        assertEquals("1.5.18", idx.newestFirst().get(idx.newestFirst().size() - 1).version().toString());
    }

    @Test
    void defaultFilterDropsDraftsPreReleasesAndApiTags() {
        ReleaseFilter f = ReleaseFilter.defaults();
        assertTrue(f.accepts(release("v2.2.0", false, false)));
        assertTrue(f.accepts(release("1.7.29", false, false)));
        assertFalse(f.accepts(release("v2.2.0", true, false)));
        assertFalse(f.accepts(release("v2.2.0-rc.1", false, false)));
        assertFalse(f.accepts(release("v2.2.0", false, true)));
        assertFalse(f.accepts(release("api/v1.9.0", false, false)));
        assertTrue(f.withPreReleases().accepts(release("v2.2.0-rc.1", false, false)));
        assertTrue(f.withTagPattern("api/v.*").accepts(release("api/v1.9.0", false, false)));
    }
}
