/**
 * The entries of a sysext image, whatever its file system: what the SquashFS and EROFS writers take
 * and what their readers give back.
 */
// "module": the qualified export names modules that depend on this one, which javac does not see here.
@SuppressWarnings("module")
module dev.sysext.entry {
    requires org.apache.commons.compress;
    // Commons Compress decodes xz and zstd archives with these; required so that they are resolved.
    requires org.tukaani.xz;
    requires com.github.luben.zstd_jni;

    exports dev.sysext.entry;
    // One reader of release archives with errors that name the archive and the entry.
    exports dev.sysext.entry.internal.archive to dev.sysext.stage;
}
