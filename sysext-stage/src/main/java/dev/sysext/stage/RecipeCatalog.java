package dev.sysext.stage;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The recipes provided on the module path ({@code provides} in module-info) or the class path
 * ({@code META-INF/services/dev.sysext.stage.Recipe}), found with {@link ServiceLoader}.
 */
public final class RecipeCatalog {
    private final List<Recipe> recipes;

    private RecipeCatalog(List<Recipe> recipes) {
        this.recipes = List.copyOf(recipes);
    }

    /** Every recipe provided on the module path or the class path, by name. */
    public static RecipeCatalog load() {
        return new RecipeCatalog(ServiceLoader.load(Recipe.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(Recipe::name)).toList());
    }

    /** All recipes, sorted by name. */
    public List<Recipe> all() {
        return recipes;
    }

    /** The recipe called {@code name}. */
    public Optional<Recipe> find(String name) {
        return recipes.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /**
     * The recipe called {@code name}.
     *
     * @throws StageException naming the known recipes when there is none by that name
     */
    public Recipe require(String name) throws StageException {
        return find(name).orElseThrow(() -> new StageException("unknown extension '" + name + "': sysext knows "
                + String.join(", ", recipes.stream().map(Recipe::name).toList())));
    }
}
