package dev.sysext.squashfs;

import java.io.IOException;

/** An image violates the SquashFS 4.0 format: the message names what is wrong and where. */
public class SquashfsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public SquashfsFormatException(String message) {
        super(message);
    }

    public SquashfsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
