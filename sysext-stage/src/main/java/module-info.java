/** Recipes that lay out release artifacts as a sysext image tree, streamed into the SquashFS writer. */
module dev.sysext.stage {
    requires transitive dev.sysext.squashfs;
    requires transitive dev.sysext.fetch;
    requires org.apache.commons.compress;

    exports dev.sysext.stage;
}
