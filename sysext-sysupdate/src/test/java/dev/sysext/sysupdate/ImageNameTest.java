package dev.sysext.sysupdate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageNameTest {

    @Test
    void splitsNameVersionAndArchitecture() {
        ImageName n = ImageName.parse("containerd-2.2.0-x86-64.raw").orElseThrow();
        assertEquals(new ImageName("containerd", "2.2.0", "x86-64"), n);
        assertEquals("containerd-2.2.0-x86-64.raw", n.fileName());
        assertEquals(new ImageName("docker-buildx", "0.14.0-rc.1", "arm64"),
                ImageName.parse("docker-buildx-0.14.0-rc.1-arm64.raw").orElseThrow());
    }

    @Test
    void refusesOtherFiles() {
        assertTrue(ImageName.parse("SHA256SUMS").isEmpty());
        assertTrue(ImageName.parse("containerd.raw").isEmpty());
        assertTrue(ImageName.parse("containerd-2.2.0-riscv64.raw").isEmpty());
    }
}
