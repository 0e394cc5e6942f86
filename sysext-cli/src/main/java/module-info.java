/** The {@code sysext} command. */
module dev.sysext.cli {
    requires dev.sysext.entry;
    requires dev.sysext.squashfs;
    requires dev.sysext.erofs;
    requires dev.sysext.fetch;
    requires dev.sysext.stage;
    requires dev.sysext.sysupdate;
    requires dev.sysext.verify;
    requires info.picocli;
    requires com.fasterxml.jackson.core;

    // picocli reflects on the command classes.
    opens dev.sysext.cli to info.picocli;
}
