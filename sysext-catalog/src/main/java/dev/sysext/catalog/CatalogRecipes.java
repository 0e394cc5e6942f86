package dev.sysext.catalog;

import dev.sysext.stage.Recipe;
import dev.sysext.stage.RecipeProvider;
import dev.sysext.stage.StageException;
import dev.sysext.stage.recipe.DeclarativeRecipe;
import dev.sysext.stage.recipe.RecipeDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The catalog's recipes: every directory {@code recipes/NAME/} of this module holding a
 * {@code recipe.toml}. A new recipe is a new directory; nothing else needs to change. The recipes are
 * read from where this class was loaded, a directory during the build or the module's jar (opened as
 * a zip file system, kept open for the life of the JVM because the recipes read their static files
 * from it when they build).
 */
public final class CatalogRecipes implements RecipeProvider {
    /** The resource directory holding one directory per recipe. */
    public static final String DIRECTORY = "recipes";

    /** The service constructor. */
    public CatalogRecipes() {
    }

    @Override
    public List<Recipe> recipes() throws StageException {
        try {
            List<Recipe> out = new ArrayList<>();
            for (Path dir : directories()) {
                out.add(DeclarativeRecipe.load(dir));
            }
            return out;
        } catch (StageException e) {
            throw new StageException("the recipe catalog is broken (a bug in this build of sysext):\n" + e.getMessage(), e);
        } catch (IOException e) {
            throw new StageException("the recipe catalog cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Recipe> recipe(String name) throws StageException {
        try {
            // Only a plain directory name can be a recipe of the catalog (no '..', no '/').
            if (name.isEmpty() || name.startsWith(".") || name.contains("/")) {
                return Optional.empty();
            }
            Path dir = root().resolve(name);
            if (!Files.isRegularFile(dir.resolve(RecipeDefinition.FILE_NAME))) {
                return Optional.empty();
            }
            return Optional.of(DeclarativeRecipe.load(dir));
        } catch (StageException e) {
            throw new StageException("the recipe catalog is broken (a bug in this build of sysext):\n" + e.getMessage(), e);
        } catch (IOException e) {
            throw new StageException("the recipe catalog cannot be read: " + e.getMessage(), e);
        }
    }

    /** The recipe directories, sorted by name. */
    public static List<Path> directories() throws IOException {
        Path root = root();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(RecipeDefinition.FILE_NAME)))
                    .sorted().toList();
        }
    }

    /** The {@code recipes/} directory, in the build output or inside the jar. */
    public static Path root() throws IOException {
        CodeSource source = CatalogRecipes.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IOException("cannot tell where the sysext-catalog module was loaded from");
        }
        Path location;
        try {
            location = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("cannot open the sysext-catalog module at " + source.getLocation(), e);
        }
        if (Files.isDirectory(location)) {
            return location.resolve(DIRECTORY);
        }
        URI jar = URI.create("jar:" + location.toUri());
        FileSystem fs;
        try {
            fs = FileSystems.newFileSystem(jar, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            fs = FileSystems.getFileSystem(jar);
        }
        return fs.getPath("/" + DIRECTORY);
    }
}
