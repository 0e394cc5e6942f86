package dev.sysext.verify;

/**
 * One thing {@code sysext check} found about an image.
 *
 * @param severity an error means systemd-sysext would not merge the image (or merging it would break the host)
 * @param rule a short stable name of the rule ({@code name}, {@code architecture}, ...), for scripts
 * @param message what is wrong and what to do, in words
 */
public record MergeFinding(Severity severity, String rule, String message) {
    /** How much a finding matters. */
    public enum Severity {
        /** systemd-sysext would not merge the image, or merging it would break the host. */
        ERROR,
        /** The image merges, but something will not work as its author likely meant. */
        WARNING,
        /** Worth knowing; nothing is wrong. */
        NOTE;

        /** The lower-case name ({@code error}, {@code warning}, {@code note}), as {@code sysext check} prints it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
