package dev.sysext.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.stage.Recipe;
import dev.sysext.stage.RecipeCatalog;
import dev.sysext.stage.StageException;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The catalog's recipes are found on the module path (module-info's {@code provides}) and on the
 * class path ({@code META-INF/services}), one per directory of {@code recipes/}.
 */
class CatalogServicesTest {
    private static List<String> directoryNames() throws Exception {
        try (Stream<Path> dirs = Files.list(CatalogRecipes.root())) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyRecipeDirectoryIsARecipeOfTheCatalog() throws Exception {
        RecipeCatalog catalog = RecipeCatalog.load();
        List<String> names = catalog.all().stream().map(Recipe::name).toList();
        assertEquals(directoryNames(), names, "one recipe per directory, named as the directory");
        assertTrue(names.size() >= 26, names.toString());
        StageException e = assertThrows(StageException.class, () -> catalog.require("dockre"));
        assertTrue(e.getMessage().startsWith("unknown extension 'dockre': sysext knows cilium, "), e.getMessage());
    }

    @Test
    void oneRecipeIsLoadedByNameAloneAndAnUnknownNameStillListsTheCatalog() throws Exception {
        RecipeCatalog catalog = RecipeCatalog.load();
        for (String name : List.of("containerd", "docker-compose", "kubernetes")) {
            Recipe one = RecipeCatalog.loadOne(name);
            assertEquals(name, one.name());
            assertEquals(catalog.require(name).description(), one.description());
            assertEquals(catalog.require(name).verification(), one.verification());
        }
        for (String bad : List.of("dockre", "../containerd", "containerd/", ".", "")) {
            StageException e = assertThrows(StageException.class, () -> RecipeCatalog.loadOne(bad));
            assertTrue(e.getMessage().startsWith("unknown extension '" + bad + "': sysext knows cilium, "), e.getMessage());
        }
    }

    /** The JDK's classes only: the platform class loader would also find this run's modules. */
    private static final class JdkOnly extends ClassLoader {
        JdkOnly() {
            super(ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.sysext.") || name.startsWith("com.fasterxml.") || name.startsWith("org.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void classPathUsersFindTheRecipesToo() throws Exception {
        // Every jar and class directory of this test run, on a class path of its own: no module,
        // so only META-INF/services can name the provider.
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
            Class<?> catalog = Class.forName(RecipeCatalog.class.getName(), true, loader);
            assertFalse(catalog.getModule().isNamed(), "loaded from the class path");
            // ServiceLoader looks in the thread's context class loader: a class path user's own.
            ClassLoader before = Thread.currentThread().getContextClassLoader();
            Object loaded;
            Thread.currentThread().setContextClassLoader(loader);
            try {
                loaded = catalog.getMethod("load").invoke(null);
            } finally {
                Thread.currentThread().setContextClassLoader(before);
            }
            List<String> names = new ArrayList<>();
            for (Object r : (List<?>) catalog.getMethod("all").invoke(loaded)) {
                assertFalse(r.getClass().getModule().isNamed());
                names.add((String) r.getClass().getMethod("name").invoke(r));
            }
            assertEquals(directoryNames(), names);
            assertEquals(1, java.util.Collections.list(loader.getResources(
                    "META-INF/services/dev.sysext.stage.RecipeProvider")).size(), "the catalog's services entry");
        }
    }
}
