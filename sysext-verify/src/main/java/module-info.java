/**
 * Checks of sysext images, as a library: whether systemd-sysext would merge an image
 * ({@link dev.sysext.verify.MergeCheck}), whether every structure reads and its build manifest
 * ({@link dev.sysext.verify.ImageVerification}), how two images differ
 * ({@link dev.sysext.verify.ImageComparison}), and whether an image is identical to a rebuild from
 * its manifest ({@link dev.sysext.verify.Rebuild}). {@code sysext check} and {@code sysext verify}
 * only print what these return.
 */
module dev.sysext.verify {
    requires transitive dev.sysext.entry;
    requires transitive dev.sysext.stage;
    requires transitive dev.sysext.erofs;

    exports dev.sysext.verify;
}
