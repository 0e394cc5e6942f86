package dev.sysext.cli;

import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/** Where a key's passphrase comes from: a file or an environment variable, never the command line. */
final class PassphraseOptions {
    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the key's passphrase from FILE (its first line).")
    Path file;

    @Option(names = "--passphrase-env", paramLabel = "VAR",
            description = "Read the key's passphrase from the environment variable VAR.")
    String variable;

    /** The passphrase, empty when none was given. */
    char[] passphrase() throws IOException {
        if (file != null && variable != null) {
            throw new CommandFailure(ExitCode.USAGE,
                    "give the passphrase through --passphrase-file or --passphrase-env, not both");
        }
        char[] p;
        if (file != null) {
            byte[] bytes = Files.readAllBytes(file);
            CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes));
            Arrays.fill(bytes, (byte) 0);
            int end = 0;
            while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
                end++;
            }
            p = new char[end];
            chars.get(p, 0, end);
            if (p.length == 0) {
                throw new CommandFailure(ExitCode.INPUT_ERROR, file + ": the passphrase file is empty");
            }
        } else if (variable != null) {
            String value = System.getenv(variable);
            if (value == null || value.isEmpty()) {
                throw new CommandFailure(ExitCode.INPUT_ERROR,
                        "the environment variable " + variable + " is not set or empty");
            }
            p = value.toCharArray();
        } else {
            p = new char[0];
        }
        return p;
    }
}
