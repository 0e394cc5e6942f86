package dev.sysext.fetch;

/**
 * The text of a clear-signed document that the signature covers, and who signed it. Use only
 * {@link #text()}: text around the signed block is never part of it.
 *
 * @param text the signed lines, dash-escaping undone and trailing whitespace removed (which the
 *     signature does not cover), each ended by {@code \n}
 * @param signature the good signature
 */
public record ClearSignedText(String text, SignatureCheck signature) {
}
