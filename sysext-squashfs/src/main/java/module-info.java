/** SquashFS 4.0: a streaming, deterministic writer and a defensive reader. */
// "module": the qualified export names sysext-stage, which javac does not see when it compiles this one.
@SuppressWarnings("module")
module dev.sysext.squashfs {
    requires org.apache.commons.compress;
    requires org.tukaani.xz;
    requires com.github.luben.zstd_jni;
    requires org.lz4.java;

    exports dev.sysext.squashfs;
    // One reader of release archives with errors that name the archive and the entry.
    exports dev.sysext.squashfs.internal.archive to dev.sysext.stage;
}
