package dev.sysext.entry;

import java.util.Arrays;
import java.util.Objects;

/**
 * An extended attribute read from an image.
 *
 * @param name the full name with its namespace prefix, e.g. {@code user.comment}
 * @param value the raw value bytes
 */
public record ImageXattr(String name, byte[] value) {
    public ImageXattr {
        Objects.requireNonNull(name, "name");
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageXattr x && name.equals(x.name) && Arrays.equals(value, x.value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "=" + new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
