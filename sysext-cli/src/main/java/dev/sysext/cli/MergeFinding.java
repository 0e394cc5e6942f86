package dev.sysext.cli;

/**
 * One thing {@code sysext check} found about an image.
 *
 * @param severity an error means systemd-sysext would not merge the image (or merging it would break the host)
 * @param rule a short stable name of the rule ({@code name}, {@code architecture}, ...), for scripts
 * @param message what is wrong and what to do, in words
 */
record MergeFinding(Severity severity, String rule, String message) {
    enum Severity {
        ERROR, WARNING, NOTE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
