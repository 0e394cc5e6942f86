/**
 * Recipes that lay out release artifacts as a sysext image tree, streamed into the SquashFS writer.
 * Recipes are services: a module adds one with {@code provides dev.sysext.stage.Recipe with ...}, and
 * for class path users with the same line in {@code META-INF/services/dev.sysext.stage.Recipe}.
 */
module dev.sysext.stage {
    requires transitive dev.sysext.squashfs;
    requires transitive dev.sysext.erofs;
    requires transitive dev.sysext.fetch;
    requires org.apache.commons.compress;
    requires com.fasterxml.jackson.core;

    exports dev.sysext.stage;

    uses dev.sysext.stage.Recipe;
    provides dev.sysext.stage.Recipe with dev.sysext.stage.containerd.ContainerdRecipe;
}
