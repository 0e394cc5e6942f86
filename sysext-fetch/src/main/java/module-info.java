/** Finds upstream releases and brings their artifacts onto the machine, verified. */
module dev.sysext.fetch {
    requires transitive java.net.http;
    requires org.bouncycastle.pg;
    requires org.bouncycastle.provider;

    exports dev.sysext.fetch;
    // One JSON parser for the project: stage reads its build manifests with it.
    exports dev.sysext.fetch.internal.json to dev.sysext.stage;
}
