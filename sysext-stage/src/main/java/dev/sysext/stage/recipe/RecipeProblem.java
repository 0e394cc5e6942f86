package dev.sysext.stage.recipe;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong with a recipe, located for the person who fixes it.
 *
 * @param file the file ({@code recipe.toml}, or a static file)
 * @param line the 1-based line, or 0 when the problem is not on one line
 * @param key the key's path ({@code inputs[1].verify[0].url}), or empty
 * @param message what is wrong
 */
public record RecipeProblem(Path file, int line, String key, String message) {
    /** Checks for nulls. */
    public RecipeProblem {
        Objects.requireNonNull(file);
        Objects.requireNonNull(key);
        Objects.requireNonNull(message);
    }

    /** {@code FILE:LINE: KEY: MESSAGE}, as compilers write it. */
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + message;
    }
}
