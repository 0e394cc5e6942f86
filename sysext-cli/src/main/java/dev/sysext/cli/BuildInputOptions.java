package dev.sysext.cli;

import dev.sysext.fetch.ProgressListener;
import dev.sysext.stage.LocalArtifact;
import dev.sysext.stage.Upstream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where a build's inputs come from and which keys they must verify against: shared by create and verify. */
final class BuildInputOptions {
    @Option(names = "--cache", paramLabel = "DIR",
            description = "Download cache (default: $XDG_CACHE_HOME/sysext or ~/.cache/sysext).")
    Path cache;

    @Option(names = "--keyring", paramLabel = "FILE",
            description = "OpenPGP public keys (armored or binary) that replace the recipe's pinned signing keys.")
    Path keyring;

    @Option(names = "--from", paramLabel = "FILE",
            description = "Use this local release archive instead of downloading it.")
    Path from;

    @Option(names = "--sha256", paramLabel = "HEX", description = "The SHA-256 the --from file must have.")
    String sha256;

    @Option(names = "--allow-unverified",
            description = "Use inputs whose upstream publishes nothing to verify them with (the manifest says so).")
    boolean allowUnverified;

    /** Whether any of these options was given. */
    boolean given() {
        return cache != null || keyring != null || from != null || sha256 != null || allowUnverified;
    }

    /** Refuses --sha256 without --from, as a usage error of {@code command}. */
    void check(CommandLine command) {
        if (sha256 != null && from == null) {
            throw new CommandLine.ParameterException(command, "--sha256 applies to the file given with --from");
        }
    }

    /** The warning to show when a local archive is used without a hash to check it against. */
    Optional<String> unverifiedWarning() {
        return from != null && sha256 == null
                ? Optional.of(from + " is used without verification; give --sha256 to check it")
                : Optional.empty();
    }

    Upstream upstream(UpstreamOptions upstreamOptions, ProgressListener progress) throws IOException {
        Optional<LocalArtifact> local = Optional.ofNullable(from)
                .map(f -> new LocalArtifact(f, Optional.ofNullable(sha256)));
        Upstream upstream = upstreamOptions.upstream(Optional.ofNullable(cache), Optional.ofNullable(keyring), local,
                progress);
        return allowUnverified ? upstream.allowingUnverified() : upstream;
    }
}
