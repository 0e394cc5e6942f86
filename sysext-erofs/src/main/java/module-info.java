/** EROFS: a streaming, deterministic image writer that the Linux kernel mounts. */
module dev.sysext.erofs {
    requires transitive dev.sysext.entry;
    requires org.lz4.java;

    exports dev.sysext.erofs;
}
