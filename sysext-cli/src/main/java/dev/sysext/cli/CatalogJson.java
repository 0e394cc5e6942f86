package dev.sysext.cli;

import dev.sysext.stage.Architecture;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.recipe.DeclarativeRecipe;
import dev.sysext.stage.recipe.RecipeDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One recipe of {@code sysext list --json}: name, description, where versions come from, the
 * architectures, and per input how it is verified ({@code kinds}: checksum, signature,
 * github-digest, none) with {@code verified: false} for inputs nothing verifies.
 */
final class CatalogJson {
    private CatalogJson() {
    }

    static Map<String, Object> of(Recipe r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("description", r.description());
        m.put("verification", r.verification());
        if (r instanceof DeclarativeRecipe d) {
            RecipeDefinition def = d.definition();
            m.put("versions", def.versions().describe());
            m.put("architectures", def.architectures().keySet().stream().sorted().map(Architecture::systemdName).toList());
            List<Object> inputs = new ArrayList<>();
            for (RecipeDefinition.Input in : def.inputs()) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("name", in.name());
                i.put("url", in.url().text());
                i.put("kinds", in.verify().stream().map(RecipeDefinition.Check::kind).toList());
                i.put("verification", in.describeVerification());
                i.put("verified", !in.unverified());
                inputs.add(i);
            }
            m.put("inputs", inputs);
        } else {
            m.put("versions", null);
            m.put("architectures", List.of());
            m.put("inputs", List.of());
        }
        return m;
    }
}
