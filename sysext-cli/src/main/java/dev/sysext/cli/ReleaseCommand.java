package dev.sysext.cli;

import dev.sysext.sysupdate.ImageName;
import dev.sysext.sysupdate.PreReleasePolicy;
import dev.sysext.sysupdate.PublishDirectory;
import dev.sysext.sysupdate.ReleaseManifest;
import dev.sysext.sysupdate.SigningKey;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sysext release}: the signed manifest of a publish directory. */
@Command(name = "release", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  sysext release publish/                                  # SHA256SUMS only",
            "  sysext release publish/ --sign-key keys/signing-key.asc  # + SHA256SUMS.gpg",
            "  sysext release publish/ --pre-releases omit --json"},
        header = "Write the (signed) SHA256SUMS of a publish directory.",
        description = {"Write SHA256SUMS (and, with a key, SHA256SUMS.gpg) for the NAME-VERSION-ARCH.raw"
                + " images in DIR, the files a systemd-sysupdate url-file source serves.",
            "Pre-release versions (2.2.0-rc.1, 2.2.0rc1, -beta...) are refused by default: systemd-sysupdate"
                + " would order them after their release. Publish them in a directory of their own.",
            "The signature time is SOURCE_DATE_EPOCH when set, so signing is reproducible."})
final class ReleaseCommand implements Callable<Integer> {
    /** The {@code schema} of {@code --json}. */
    static final String SCHEMA = "sysext.release/v1";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The publish directory.")
    Path dir;

    @Option(names = "--sign-key", paramLabel = "FILE",
            description = "Sign with this secret key (from sysext keygen or gpg).")
    Path signKey;

    @Option(names = "--pre-releases", paramLabel = "POLICY", defaultValue = "REFUSE",
            description = "REFUSE (default) or OMIT: leave pre-release images out of SHA256SUMS.")
    PreReleasePolicy preReleases;

    @Option(names = "--json", description = "Print a " + SCHEMA + " JSON object on stdout instead of text.")
    boolean json;

    @Mixin
    PassphraseOptions passphrase;

    @Override
    public Integer call() throws Exception {
        Optional<SigningKey> key = Optional.empty();
        if (signKey != null) {
            char[] secret = passphrase.passphrase();
            try (InputStream in = Files.newInputStream(signKey)) {
                key = Optional.of(SigningKey.read(in, signKey.toString(), secret));
            } finally {
                java.util.Arrays.fill(secret, '\0');
            }
        }
        PublishDirectory.Published p = new PublishDirectory(dir).publish(key, preReleases, signatureTime());
        PrintWriter out = spec.commandLine().getOut();
        StatusOutput status = StatusOutput.of(spec);
        for (String ignored : p.ignored()) {
            status.warning(dir.resolve(ignored) + ": not NAME-VERSION-ARCH.raw, left out");
        }
        for (ImageName omitted : p.omitted()) {
            status.warning(dir.resolve(omitted.fileName()) + ": pre-release, left out");
        }
        Optional<SigningKey> signer = key;
        if (json) {
            StringBuilder b = new StringBuilder();
            JsonText.write(b, toJson(p, signer));
            out.println(b);
        } else {
            for (ImageName image : p.images()) {
                out.println(image.fileName());
            }
            out.println(dir.resolve(ReleaseManifest.FILE_NAME) + ": " + p.images().size() + " images");
            p.signature().ifPresent(s -> out.println(s + ": signed by " + signer.get().fingerprint()
                    + " (" + signer.get().userId() + ")"));
        }
        out.flush();
        return 0;
    }

    private Map<String, Object> toJson(PublishDirectory.Published p, Optional<SigningKey> key) {
        Map<String, byte[]> hashes = new HashMap<>();
        p.manifest().entries().forEach(e -> hashes.put(e.fileName(), e.sha256()));
        List<Object> entries = new ArrayList<>();
        for (ImageName image : p.images()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("fileName", image.fileName());
            e.put("name", image.name());
            e.put("version", image.version());
            e.put("architecture", image.architecture());
            byte[] sha = hashes.get(image.fileName());
            e.put("sha256", sha == null ? null : HexFormat.of().formatHex(sha));
            entries.add(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("directory", dir.toString());
        m.put("manifest", dir.resolve(ReleaseManifest.FILE_NAME).toString());
        m.put("signature", p.signature().map(Path::toString).orElse(null));
        m.put("signer", key.map(k -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("fingerprint", k.fingerprint());
            s.put("userId", k.userId());
            return (Object) s;
        }).orElse(null));
        m.put("entries", entries);
        m.put("omitted", p.omitted().stream().map(ImageName::fileName).toList());
        m.put("ignored", p.ignored());
        return m;
    }

    private static Instant signatureTime() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch == null || epoch.isBlank()) {
            return Instant.now();
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(epoch.trim()));
        } catch (NumberFormatException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR,
                    "SOURCE_DATE_EPOCH='" + epoch + "' is not a number of seconds");
        }
    }
}
