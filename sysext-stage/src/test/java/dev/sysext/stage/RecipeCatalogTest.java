package dev.sysext.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Recipes are found on the module path (module-info's provides) and on the class path (META-INF/services). */
class RecipeCatalogTest {
    @Test
    void findsTheRecipesAndNamesThemForAnUnknownOne() {
        RecipeCatalog catalog = RecipeCatalog.load();
        assertEquals(List.of("containerd"), catalog.all().stream().map(Recipe::name).toList());
        StageException e = assertThrows(StageException.class, () -> catalog.require("dockre"));
        assertEquals("unknown extension 'dockre': sysext knows containerd", e.getMessage());
    }

    /** The JDK's classes only: the platform class loader would also find this run's modules. */
    private static final class JdkOnly extends ClassLoader {
        JdkOnly() {
            super(ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.sysext.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void findsEveryProvidedRecipeOnTheClassPath() throws Exception {
        // Every jar and class directory of this test run, on a class path of its own: no module,
        // so only META-INF/services can name the recipes.
        List<URL> urls = new ArrayList<>();
        for (var module : ModuleLayer.boot().configuration().modules()) {
            var location = module.reference().location();
            if (location.isPresent() && "file".equals(location.get().getScheme())) {
                urls.add(location.get().toURL());
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), new JdkOnly())) {
            Class<?> recipe = Class.forName(Recipe.class.getName(), true, loader);
            assertFalse(recipe.getModule().isNamed(), "loaded from the class path");
            List<String> names = new ArrayList<>();
            for (Object r : ServiceLoader.load(recipe, loader)) {
                assertFalse(r.getClass().getModule().isNamed());
                names.add((String) recipe.getMethod("name").invoke(r));
            }
            List<String> provided = Stream.of(ModuleLayer.boot().findModule("dev.sysext.stage"))
                    .flatMap(m -> m.stream().flatMap(mod -> mod.getDescriptor().provides().stream()))
                    .filter(p -> p.service().equals(Recipe.class.getName()))
                    .flatMap(p -> p.providers().stream()).toList();
            assertTrue(provided.size() >= 1, "the test runs on the module path: " + provided);
            assertEquals(provided.size(), names.size(), "one META-INF/services line per provides: " + names);
            assertEquals(RecipeCatalog.load().all().stream().map(Recipe::name).sorted().toList(),
                    names.stream().sorted().toList());
        }
    }
}
