package dev.sysext.cli;

import dev.sysext.fetch.FetchException;
import dev.sysext.fetch.VerificationException;
import dev.sysext.squashfs.SquashfsFormatException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import picocli.CommandLine;

/**
 * Turns what a command throws into one line on stderr and an {@link ExitCode}. Stack traces are
 * printed only for internal errors, or for any error with {@code SYSEXT_DEBUG=1}.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        ExitCode code = classify(e);
        cl.getErr().println("sysext: error: " + message(e));
        if (code == ExitCode.INTERNAL_ERROR || "1".equals(System.getenv("SYSEXT_DEBUG"))) {
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return code.code;
    }

    static ExitCode classify(Throwable e) {
        if (e instanceof CommandFailure f) {
            return f.exitCode;
        }
        // Both are IOExceptions: they must be told apart before the generic input-error branch.
        if (e instanceof VerificationException) {
            return ExitCode.VERIFICATION_FAILED;
        }
        if (e instanceof FetchException) {
            return ExitCode.NETWORK_ERROR;
        }
        if (e instanceof SquashfsFormatException || e instanceof FileSystemException
                || e instanceof IllegalArgumentException) {
            return ExitCode.INPUT_ERROR;
        }
        if (e instanceof IOException) {
            return ExitCode.INPUT_ERROR;
        }
        return ExitCode.INTERNAL_ERROR;
    }

    private static String message(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return n.getFile() + ": no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
