/** The {@code sysext} command. */
module dev.sysext.cli {
    requires dev.sysext.squashfs;
    requires dev.sysext.erofs;
    requires dev.sysext.fetch;
    requires dev.sysext.stage;
    requires dev.sysext.sysupdate;
    requires info.picocli;

    // picocli reflects on the command classes.
    opens dev.sysext.cli to info.picocli;
}
