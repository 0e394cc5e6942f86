package dev.sysext.erofs;

import java.io.IOException;

/** An EROFS image that is not well formed; the message names the structure and its offset. */
public final class ErofsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public ErofsFormatException(String message) {
        super(message);
    }
}
