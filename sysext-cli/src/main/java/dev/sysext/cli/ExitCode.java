package dev.sysext.cli;

/** The exit codes of {@code sysext}, distinct per kind of failure so scripts can react. */
enum ExitCode {
    OK(0),
    /** Something inside sysext went wrong: a bug. */
    INTERNAL_ERROR(1),
    /** The command line is wrong (picocli's own code for this). */
    USAGE(2),
    /** An input file, image, archive or argument value is bad. */
    INPUT_ERROR(3),
    /** A checksum or signature did not verify. */
    VERIFICATION_FAILED(4),
    /** A server could not be reached or answered with an error. */
    NETWORK_ERROR(5);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
