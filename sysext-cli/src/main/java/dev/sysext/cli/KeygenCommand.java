package dev.sysext.cli;

import dev.sysext.sysupdate.KeyAlgorithm;
import dev.sysext.sysupdate.OutputFile;
import dev.sysext.sysupdate.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sysext keygen}: a release signing key and the keyring hosts verify with. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  sysext keygen --name \"Example Releases\" --email rel@example.com --out keys",
            "  sysext keygen --name Ops --email ops@example.com --out keys \\",
            "      --passphrase-file pass.txt"},
        header = "Generate a release signing key and the keyring hosts verify with.",
        description = {"Generate an OpenPGP v4 key that signs releases.",
            "Writes DIR/signing-key.asc (armored secret key, mode 0600), DIR/signing-key.pub.asc (armored"
                + " public key) and DIR/import-pubring.gpg (the binary keyring systemd-sysupdate reads from"
                + " /etc/systemd/import-pubring.gpg)."})
final class KeygenCommand implements Callable<Integer> {
    static final String SECRET_KEY = "signing-key.asc";
    static final String PUBLIC_KEY = "signing-key.pub.asc";
    static final String KEYRING = "import-pubring.gpg";

    @Spec
    CommandSpec spec;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The key owner's name.")
    String name;

    @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The key owner's e-mail address.")
    String email;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the key files.")
    Path out;

    @Option(names = "--algorithm", paramLabel = "ALG", defaultValue = "ED25519",
            description = "ED25519 (default) or RSA_4096.")
    KeyAlgorithm algorithm;

    @Option(names = "--force", description = "Replace an existing key in DIR.")
    boolean force;

    @Mixin
    PassphraseOptions passphrase;

    @Override
    public Integer call() throws Exception {
        if (!email.matches("[^\\s<>@]+@[^\\s<>@]+")) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, "'" + email + "' is not an e-mail address");
        }
        if (name.isBlank() || name.contains("<") || name.contains(">")) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, "'" + name + "' is not a usable name");
        }
        if (!force && Files.exists(out.resolve(SECRET_KEY))) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, out.resolve(SECRET_KEY)
                    + ": a key is already there; use --force to replace it"
                    + " (hosts trusting it would reject new releases)");
        }
        char[] secret = passphrase.passphrase();
        SigningKey key = SigningKey.generate(name + " <" + email + ">", algorithm,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), secret);
        java.util.Arrays.fill(secret, '\0');
        Files.createDirectories(out);
        for (OutputFile f : List.of(
                new OutputFile(SECRET_KEY, key.armoredSecretKey(), OutputFile.SECRET),
                new OutputFile(PUBLIC_KEY, key.armoredPublicKey(), OutputFile.PUBLIC),
                new OutputFile(KEYRING, key.publicKeyring(), OutputFile.PUBLIC))) {
            spec.commandLine().getOut().println(f.writeInto(out));
        }
        spec.commandLine().getOut().println("fingerprint " + key.fingerprint() + " (" + key.userId() + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
