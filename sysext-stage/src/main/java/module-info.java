/**
 * Recipes that lay out release artifacts as a sysext image tree, streamed into the SquashFS writer.
 * Recipes are services: a module adds one with {@code provides dev.sysext.stage.Recipe with ...}, or
 * many at once with {@code provides dev.sysext.stage.RecipeProvider with ...} (declarative recipes,
 * {@link dev.sysext.stage.recipe.DeclarativeRecipe}, are usually provided that way); class path users
 * find them through the same lines in {@code META-INF/services/}.
 */
module dev.sysext.stage {
    requires transitive dev.sysext.entry;
    requires transitive dev.sysext.squashfs;
    requires transitive dev.sysext.erofs;
    requires transitive dev.sysext.fetch;
    requires org.apache.commons.compress;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.toml;

    exports dev.sysext.stage;
    exports dev.sysext.stage.recipe;

    uses dev.sysext.stage.Recipe;
    uses dev.sysext.stage.RecipeProvider;
}
