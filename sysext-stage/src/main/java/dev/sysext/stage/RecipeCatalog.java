package dev.sysext.stage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The recipes provided on the module path ({@code provides} in module-info) or the class path
 * ({@code META-INF/services/}), found with {@link ServiceLoader}: every {@link Recipe} service and
 * every recipe of every {@link RecipeProvider} service.
 */
public final class RecipeCatalog {
    private final List<Recipe> recipes;

    private RecipeCatalog(List<Recipe> recipes) {
        this.recipes = List.copyOf(recipes);
    }

    /**
     * Every recipe provided, by name.
     *
     * @throws StageException when a provider cannot load its recipes, or two recipes have one name
     */
    public static RecipeCatalog load() throws StageException {
        List<Recipe> all = new ArrayList<>();
        ServiceLoader.load(Recipe.class).stream().map(ServiceLoader.Provider::get).forEach(all::add);
        for (RecipeProvider p : ServiceLoader.load(RecipeProvider.class)) {
            all.addAll(p.recipes());
        }
        return of(all);
    }

    /**
     * The recipe called {@code name}, loading only that one where its provider can (see
     * {@link RecipeProvider#recipe}); when there is none, the whole catalog is loaded to name the
     * known recipes in the error. Two recipes of that name are refused as {@link #load} does.
     *
     * @throws StageException when no recipe or two recipes have that name, or it cannot be loaded
     */
    public static Recipe loadOne(String name) throws StageException {
        List<Recipe> found = new ArrayList<>();
        ServiceLoader.load(Recipe.class).stream().map(ServiceLoader.Provider::get)
                .filter(r -> r.name().equals(name)).forEach(found::add);
        for (RecipeProvider p : ServiceLoader.load(RecipeProvider.class)) {
            p.recipe(name).ifPresent(found::add);
        }
        if (found.isEmpty()) {
            return load().require(name);
        }
        return of(found).require(name);
    }

    /**
     * A catalog of {@code recipes}.
     *
     * @throws StageException when two recipes have one name
     */
    public static RecipeCatalog of(List<Recipe> recipes) throws StageException {
        Map<String, Recipe> byName = new HashMap<>();
        for (Recipe r : recipes) {
            Recipe before = byName.putIfAbsent(r.name(), r);
            if (before != null) {
                throw new StageException("two recipes are called '" + r.name() + "': " + before.getClass().getName()
                        + " and " + r.getClass().getName() + " (" + r.description() + ")");
            }
        }
        return new RecipeCatalog(recipes.stream().sorted(Comparator.comparing(Recipe::name)).toList());
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
                + String.join(", ", recipes.stream().map(Recipe::name).toList())
                + " (see `sysext list`; build your own recipe with `sysext create --recipe PATH`)"));
    }
}
