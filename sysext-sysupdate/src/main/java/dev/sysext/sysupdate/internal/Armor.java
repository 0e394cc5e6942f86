package dev.sysext.sysupdate.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.bouncycastle.bcpg.ArmoredOutputStream;

/** ASCII armor without the library's version header, so that output does not change with the library. */
public final class Armor {
    private Armor() {
    }

    /** Armors encoded packets; the armor type follows from the first packet. */
    public static byte[] armor(byte[] packets, String comment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArmoredOutputStream out = ArmoredOutputStream.builder().clearHeaders().addComment(comment)
                .build(bytes)) {
            out.write(packets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
