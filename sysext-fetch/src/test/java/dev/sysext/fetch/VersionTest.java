package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void ordersNumericallyAndPreReleasesFirst() {
        List<String> expected = List.of("1.7.29", "2.0.0-beta.0", "2.0.0-rc.1", "2.0.0-rc.2", "2.0.0-rc.10", "2.0.0",
                "2.0.1", "2.2.0-rc.1", "2.2.0", "2.2.9", "2.2.10", "10.0.0");
        List<Version> shuffled = new ArrayList<>(expected.stream().map(Version::parse).toList());
        Collections.shuffle(shuffled, new java.util.Random(42));
        Collections.sort(shuffled);
        assertEquals(expected, shuffled.stream().map(Version::toString).toList());
        assertTrue(Version.parse("2.2.10").compareTo(Version.parse("2.2.9")) > 0);
        assertTrue(Version.parse("2.2.0-rc.1").compareTo(Version.parse("2.2.0")) < 0);
    }

    @Test
    void stripsVAndKeepsParts() {
        Version v = Version.parse("v2.2.10-rc.1+build.5");
        assertEquals("2.2.10-rc.1+build.5", v.toString());
        assertEquals(List.of(2L, 2L, 10L), v.numbers());
        assertEquals(List.of("rc", "1"), v.preRelease());
        assertTrue(v.isPreRelease());
        assertEquals("2.2", v.minorLine());
        assertFalse(Version.parse("1.7").isPreRelease());
        assertEquals(0, Version.parse("1.7").compareTo(Version.parse("1.7.0")));
        assertEquals(0, Version.parse("1.7.0+a").compareTo(Version.parse("1.7.0+b")));
    }

    @Test
    void rejectsNonVersions() {
        assertTrue(Version.tryParse("api/v1.9.0").isEmpty());
        assertTrue(Version.tryParse("nightly").isEmpty());
        assertTrue(Version.tryParse("1..2").isEmpty());
        assertTrue(Version.tryParse("1.2-").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Version.parse("latest"));
        assertEquals("'latest' is not a version", e.getMessage());
    }
}
