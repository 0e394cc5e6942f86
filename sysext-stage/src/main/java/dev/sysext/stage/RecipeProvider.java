package dev.sysext.stage;

import java.util.List;
import java.util.Optional;

/**
 * A service that contributes several recipes at once, e.g. a catalog of declarative recipes
 * ({@code provides dev.sysext.stage.RecipeProvider with ...} in a module, or a
 * {@code META-INF/services/dev.sysext.stage.RecipeProvider} entry on the class path). The
 * {@link Recipe} service gives one recipe per provider class, which suits recipes written as code.
 */
public interface RecipeProvider {
    /**
     * The recipes this provider contributes.
     *
     * @throws StageException when one of them cannot be loaded (a packaging bug, named in the message)
     */
    List<Recipe> recipes() throws StageException;

    /**
     * The recipe called {@code name}, if this provider has it. The default looks through
     * {@link #recipes()}; a provider whose recipes are costly to load (a catalog of files to parse)
     * loads only the one asked for, which a command that builds one extension waits for.
     *
     * @throws StageException when that recipe cannot be loaded
     */
    default Optional<Recipe> recipe(String name) throws StageException {
        for (Recipe r : recipes()) {
            if (r.name().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
