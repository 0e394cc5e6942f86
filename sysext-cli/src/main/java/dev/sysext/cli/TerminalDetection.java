package dev.sysext.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether standard error is a terminal a person watches. {@code System.console()} cannot tell: on
 * JDK 17 it looks at stdin and stdout only, so it is non-null with {@code 2>log} and null with
 * {@code >out}, both wrong for a bar drawn on stderr. On Linux, file descriptor 2 is asked directly.
 */
final class TerminalDetection {
    private TerminalDetection() {
    }

    static boolean stderrIsInteractive(Map<String, String> environment) {
        String term = environment.get("TERM");
        if (term == null || term.isBlank() || term.equals("dumb")) {
            return false; // no terminal, or one that cannot move the cursor (Emacs shells, some CI runners)
        }
        if (environment.containsKey("CI")) {
            return false; // CI services that allocate a pseudo-terminal still keep logs as text
        }
        return isTerminalDevice(Path.of("/proc/self/fd/2"));
    }

    /**
     * Whether help and usage errors may be bold ({@code NO_COLOR} unset, stdout and stderr both
     * terminals): picocli's own check relies on {@code System.console()} and would put escape
     * sequences into {@code 2>errors.log}.
     */
    static boolean stylesAllowed(Map<String, String> environment) {
        return !environment.containsKey("NO_COLOR") && stderrIsInteractive(environment)
                && isTerminalDevice(Path.of("/proc/self/fd/1"));
    }

    /** Whether the link {@code fd} (a {@code /proc/self/fd} entry) points at a terminal device. */
    static boolean isTerminalDevice(Path fd) {
        try {
            String device = Files.readSymbolicLink(fd).toString();
            return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false; // not Linux, or not allowed to look: plain output is always safe
        }
    }
}
