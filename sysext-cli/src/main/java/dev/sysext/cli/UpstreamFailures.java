package dev.sysext.cli;

import dev.sysext.fetch.FetchException;
import dev.sysext.fetch.RateLimitException;
import dev.sysext.fetch.VerificationException;
import dev.sysext.stage.StageException;
import java.io.IOException;

/**
 * Turns what fetching and staging throw into {@link CommandFailure}s with the project's exit codes
 * and a hint on what to do.
 */
final class UpstreamFailures {
    /** A step that fetches or stages. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws IOException;
    }

    private UpstreamFailures() {
    }

    static <T> T run(Step<T> step) {
        try {
            return step.run();
        } catch (VerificationException e) {
            throw new CommandFailure(ExitCode.VERIFICATION_FAILED, "verification failed: " + e.getMessage(), e);
        } catch (RateLimitException e) {
            throw new CommandFailure(ExitCode.NETWORK_ERROR, e.getMessage(), e);
        } catch (FetchException e) {
            throw new CommandFailure(ExitCode.NETWORK_ERROR, e.getMessage()
                    + " (check the network, or point --rewrite-url at a mirror)", e);
        } catch (StageException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, message(e), e);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, e.getMessage(), e);
        }
    }

    private static String message(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return n.getFile() + ": no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
