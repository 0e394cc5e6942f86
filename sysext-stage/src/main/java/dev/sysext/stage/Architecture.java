package dev.sysext.stage;

import java.util.Locale;

/** The architectures images are built for, with the names systemd and upstream releases use. */
public enum Architecture {
    /** 64-bit x86: {@code x86-64} for systemd, {@code amd64} in release file names. */
    X86_64("x86-64", "amd64"),
    /** 64-bit ARM: {@code arm64} for both. */
    ARM64("arm64", "arm64");

    private final String systemdName;
    private final String goArch;

    Architecture(String systemdName, String goArch) {
        this.systemdName = systemdName;
        this.goArch = goArch;
    }

    /** The name systemd uses in {@code ARCHITECTURE=} and the bakery in image names: {@code x86-64}, {@code arm64}. */
    public String systemdName() {
        return systemdName;
    }

    /** The name Go projects use in release assets: {@code amd64}, {@code arm64}. */
    public String goArch() {
        return goArch;
    }

    /**
     * The architecture called {@code name}: {@code x86-64} or {@code arm64}, also {@code x86_64},
     * {@code amd64} and {@code aarch64}.
     *
     * @throws IllegalArgumentException naming the text and the supported names
     */
    public static Architecture parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "x86-64", "x86_64", "amd64" -> {
                return X86_64;
            }
            case "arm64", "aarch64" -> {
                return ARM64;
            }
            default -> throw new IllegalArgumentException("unsupported architecture '" + name
                    + "': use x86-64 or arm64");
        }
    }

    @Override
    public String toString() {
        return systemdName;
    }
}
