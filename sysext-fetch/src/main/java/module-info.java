/** Finds upstream releases and brings their artifacts onto the machine, verified. */
module dev.sysext.fetch {
    requires transitive java.net.http;
    requires org.bouncycastle.pg;
    requires org.bouncycastle.provider;
    requires com.fasterxml.jackson.core;

    exports dev.sysext.fetch;
    // One JSON reader for the project (Jackson's streaming parser): stage reads its build manifests with it.
    exports dev.sysext.fetch.internal.json to dev.sysext.stage;
}
