/** Everything a host needs to deploy and update an extension: manifests, sysupdate transfers, Butane. */
module dev.sysext.sysupdate {
    requires org.bouncycastle.pg;
    requires org.bouncycastle.provider;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports dev.sysext.sysupdate;
}
