package dev.sysext.cli;

import dev.sysext.stage.Recipe;
import dev.sysext.stage.RecipeCatalog;
import dev.sysext.stage.recipe.DeclarativeRecipe;
import dev.sysext.stage.recipe.RecipeException;
import dev.sysext.stage.recipe.RecipeProblem;
import java.nio.file.Path;
import java.util.List;

/**
 * The recipe a command builds: one of the catalog by name, or a recipe file or directory given with
 * {@code --recipe}. A recipe with problems is a usage error (exit 2) listing every problem as
 * {@code FILE:LINE: KEY: message}, the same lines {@code sysext recipe check} prints.
 */
final class RecipeSelection {
    private RecipeSelection() {
    }

    /** The catalog's recipe called {@code name}. */
    static Recipe named(String name) {
        return UpstreamFailures.run(() -> RecipeCatalog.loadOne(name));
    }

    /** The recipe at {@code path} (outside the catalog). */
    static Recipe at(Path path) {
        try {
            return UpstreamFailures.run(() -> DeclarativeRecipe.load(path));
        } catch (CommandFailure f) {
            if (f.getCause() instanceof RecipeException e) {
                throw new CommandFailure(ExitCode.USAGE, problems(path, e.problems()), e);
            }
            throw f;
        }
    }

    /** The message for a recipe with {@code problems}: a count, then one located line per problem. */
    static String problems(Path path, List<RecipeProblem> problems) {
        StringBuilder b = new StringBuilder("the recipe " + path + " has " + problems.size()
                + (problems.size() == 1 ? " problem:" : " problems:"));
        for (RecipeProblem p : problems) {
            b.append("\n  ").append(p);
        }
        return b.toString();
    }
}
