package dev.sysext.cli;

import dev.sysext.stage.recipe.DeclarativeRecipe;
import dev.sysext.stage.recipe.RecipeDefinition;
import dev.sysext.stage.recipe.RecipeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sysext recipe check PATH...}: validates declarative recipes without building anything. */
@Command(name = "recipe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Work with declarative recipes (recipe.toml).",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext recipe check ./my-recipe           # every problem, as FILE:LINE: KEY: msg",
            "  sysext recipe check a/recipe.toml b/      # several recipes at once"},
        description = {"A recipe is a directory with recipe.toml and files/ (the README's \"Recipe",
            "format\" lists every key); sysext create --recipe PATH builds one that is not in",
            "the catalog."},
        subcommands = RecipeCommand.Check.class)
final class RecipeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: check");
    }

    /** {@code sysext recipe check PATH...}. */
    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            header = "Validate recipes and report every problem with file, line and key.",
            footerHeading = "%nExamples:%n",
            footer = {"  sysext recipe check ./my-recipe",
                "  sysext recipe check my-recipe/recipe.toml"},
            description = {"Reads each recipe as `sysext create --recipe` would, without downloading",
                "anything, and prints every problem as FILE:LINE: KEY: message (unknown or",
                "missing keys, wrong types, bad templates, globs, patterns and paths, static",
                "files missing or not placed). Exit status 0 when every recipe is sound, 2 when",
                "one has problems."})
    static final class Check implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "A recipe directory or recipe.toml file.")
        List<Path> paths = new ArrayList<>();

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            int problems = 0;
            List<Path> bad = new ArrayList<>();
            for (Path p : paths) {
                try {
                    RecipeDefinition d = DeclarativeRecipe.load(p).definition();
                    out.println(p + ": OK: " + d.name() + ", " + d.inputs().size()
                            + (d.inputs().size() == 1 ? " input, " : " inputs, ") + d.files().size()
                            + (d.files().size() == 1 ? " static file" : " static files"));
                } catch (RecipeException e) {
                    e.problems().forEach(out::println);
                    problems += e.problems().size();
                    bad.add(p);
                } catch (IOException e) {
                    throw new CommandFailure(ExitCode.INPUT_ERROR, p + ": " + e.getMessage(), e);
                }
            }
            out.flush();
            if (!bad.isEmpty()) {
                throw new CommandFailure(ExitCode.USAGE, problems + (problems == 1 ? " problem" : " problems") + " in "
                        + String.join(", ", bad.stream().map(Path::toString).toList()));
            }
        }
    }
}
