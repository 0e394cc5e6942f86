package dev.sysext.stage.containerd;

import java.net.URI;
import java.util.List;

/**
 * Who may sign runc releases: the primary-key fingerprints of the runc maintainers' keys in
 * {@code runc.keyring} of github.com/opencontainers/runc, computed by gpg from that file's key
 * material (the repository's keyring as of August 2026; runc v1.3.3 is signed by a subkey of the
 * first one). A keyring fetched from {@link #KEYRING} is trusted only for these keys.
 */
final class RuncKeys {
    /** Where the runc maintainers publish their keys. */
    static final URI KEYRING = URI.create("https://raw.githubusercontent.com/opencontainers/runc/main/runc.keyring");

    static final List<String> FINGERPRINTS = List.of(
            // Aleksa Sarai <cyphar@cyphar.com> (github: cyphar), ed25519 since 2019
            "C9C370B246B09F6DBCFC744C34401015D1D2D386",
            // Kir Kolyshkin <kolyshkin@gmail.com> (github: kolyshkin), rsa2048 since 2020
            "C2428CD75720FACDCF76B6EA17DE5ECB75A1100E",
            // Akihiro Suda <suda.kyoto@gmail.com> (github: AkihiroSuda), rsa3072 since 2019
            "C020EA876CE4E06C7AB95AEF49524C6F9F638F1A");

    private RuncKeys() {
    }
}
