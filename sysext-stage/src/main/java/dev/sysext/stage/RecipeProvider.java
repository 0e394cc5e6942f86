package dev.sysext.stage;

import java.util.List;

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
}
