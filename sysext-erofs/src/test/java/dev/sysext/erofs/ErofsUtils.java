package dev.sysext.erofs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A newer erofs-utils than Debian 12's 1.5, for images with fragments ({@code -Efragments}, which the
 * bakery uses). Debian 13's erofs-utils 1.8 and the libraries it needs (its libc among them) unpacked
 * with {@code dpkg -x} into one directory, never installed; run through that directory's dynamic loader.
 * Found through {@code SYSEXT_EROFS_UTILS_NEW} or in {@code /opt/sysext-ci/erofs-utils-1.8}; the tests
 * that need it are skipped with this note when it is missing.
 */
record ErofsUtils(Path root) {
    static final Path DEFAULT = Path.of("/opt/sysext-ci/erofs-utils-1.8");

    static ErofsUtils require() {
        String env = System.getenv("SYSEXT_EROFS_UTILS_NEW");
        ErofsUtils u = new ErofsUtils(env == null || env.isBlank() ? DEFAULT : Path.of(env));
        Assumptions.assumeTrue(Files.isExecutable(u.loader()) && Files.isRegularFile(u.root.resolve("usr/bin/mkfs.erofs")),
                "no newer erofs-utils (for -Efragments) in " + u.root + ": unpack Debian 13's erofs-utils, libc6,"
                        + " liblz4-1, liblzma5, zlib1g, libdeflate0, libzstd1, libxxhash0, libselinux1, libpcre2-8-0"
                        + " and libuuid1 there with dpkg -x, or set SYSEXT_EROFS_UTILS_NEW");
        return u;
    }

    private Path libraries() {
        return root.resolve("usr/lib/x86_64-linux-gnu");
    }

    private Path loader() {
        return libraries().resolve("ld-linux-x86-64.so.2");
    }

    /** The command line that runs {@code tool} (mkfs.erofs, fsck.erofs) with {@code args}. */
    String[] command(String tool, List<String> args) {
        List<String> c = new ArrayList<>(List.of(loader().toString(), "--library-path", libraries().toString(),
                root.resolve("usr/bin/" + tool).toString()));
        c.addAll(args);
        return c.toArray(String[]::new);
    }
}
