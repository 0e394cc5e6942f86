package dev.sysext.stage.recipe;

import dev.sysext.stage.StageException;
import java.util.List;
import java.util.stream.Collectors;

/** A recipe that cannot be used, with every problem found in it (not just the first). */
public final class RecipeException extends StageException {
    private static final long serialVersionUID = 1L;

    private final transient List<RecipeProblem> problems;

    /** A failure listing {@code problems} (at least one). */
    public RecipeException(List<RecipeProblem> problems) {
        super(problems.stream().map(RecipeProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a recipe exception needs a problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order they were found. */
    public List<RecipeProblem> problems() {
        return problems;
    }
}
