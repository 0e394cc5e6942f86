package dev.sysext.squashfs;

import java.util.Locale;

/** The xz BCJ (branch/call/jump) filters a writer may try per block for executable code. */
public enum XzFilter {
    X86(0x01),
    POWERPC(0x02),
    IA64(0x04),
    ARM(0x08),
    ARMTHUMB(0x10),
    SPARC(0x20),
    ARM64(0x40);

    private final int bit;

    XzFilter(int bit) {
        this.bit = bit;
    }

    /** The filter's bit in the xz compressor options block. */
    public int bit() {
        return bit;
    }

    /** The name mksquashfs' {@code -Xbcj} takes, e.g. {@code x86}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
