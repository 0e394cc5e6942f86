/**
 * The recipe catalog: every declarative recipe sysext ships, as {@code recipes/NAME/recipe.toml}
 * plus {@code files/} in this module's resources, provided to {@link dev.sysext.stage.RecipeCatalog}
 * as a {@link dev.sysext.stage.RecipeProvider}.
 */
module dev.sysext.catalog {
    requires transitive dev.sysext.stage;

    exports dev.sysext.catalog;

    provides dev.sysext.stage.RecipeProvider with dev.sysext.catalog.CatalogRecipes;
}
