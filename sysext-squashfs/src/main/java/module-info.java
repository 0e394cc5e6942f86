/** SquashFS 4.0: a streaming, deterministic writer and a defensive reader. */
module dev.sysext.squashfs {
    requires transitive dev.sysext.entry;
    requires org.apache.commons.compress;
    requires org.tukaani.xz;
    requires com.github.luben.zstd_jni;
    requires org.lz4.java;

    exports dev.sysext.squashfs;
}
