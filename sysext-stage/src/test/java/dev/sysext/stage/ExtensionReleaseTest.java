package dev.sysext.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExtensionReleaseTest {

    @Test
    void anyHostAsTheBakeryWritesIt() {
        ExtensionRelease r = new ExtensionRelease("containerd", ExtensionRelease.ANY, null, "x86-64", true);
        assertEquals("usr/lib/extension-release.d/extension-release.containerd", r.path());
        assertEquals("ID=_any\nARCHITECTURE=x86-64\nEXTENSION_RELOAD_MANAGER=1\n", r.render());
    }

    @Test
    void flatcarNeedsALevel() {
        assertEquals("ID=flatcar\nSYSEXT_LEVEL=1.0\nARCHITECTURE=arm64\n",
                new ExtensionRelease("runc", "flatcar", "1.0", "arm64", false).render());
        assertThrows(IllegalArgumentException.class, () -> new ExtensionRelease("runc", "flatcar", null, "arm64", false));
        assertThrows(IllegalArgumentException.class, () -> new ExtensionRelease("../x", "_any", null, "arm64", false));
    }
}
