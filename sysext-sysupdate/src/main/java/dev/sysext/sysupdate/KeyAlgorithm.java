package dev.sysext.sysupdate;

/** The public-key algorithms a release signing key can use; all give OpenPGP v4 keys gpg 2.2 accepts. */
public enum KeyAlgorithm {
    /** EdDSA over Curve25519 in its v4 ("legacy") encoding: small, fast, the default. */
    ED25519,
    /** RSA with a 4096-bit modulus, for verifiers that only know RSA. */
    RSA_4096
}
