package dev.sysext.sysupdate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sysext.sysupdate.internal.YamlWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Strings that YAML could misread survive our writer, checked by parsing with SnakeYAML. */
class YamlRoundTripTest {
    private static final List<String> AWKWARD = List.of(
            "", "yes", "No", "TRUE", "off", "null", "~", "1", "0644", "1.0", "1.1.0", "1e3", "0x1f", ".inf",
            "- item", "a: b", "a:b", "#comment", "a #b", "key:", "@at", "`tick", "!tag", "&anchor", "*alias",
            "%directive", "{flow}", "[flow]", "'single'", "\"double\"", "back\\slash", " lead", "trail ",
            "tab\there", "é ü 漢字", "line\u2028sep", "bell\u0007", "nul\u0000", "bom\ufeff",
            "multi\nline\n", "multi\nline", "two finals\n\n", "\nleading newline\n", "  indented first\nx\n",
            "trailing space \nx\n", "\tindented with a tab\nx\ty\n", "# a comment line\n[Service]\nExecStart=/bin/true\n",
            "version = 3\n\n[plugins.\"io.containerd.cri.v1.runtime\"]\n  SystemdCgroup = true\n",
            "data:;base64,AAEC+/9=", "https://example.com/a?b=c&d=e#f", "sha512-0123abc");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String yaml) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

    @Test
    void scalarsAsMapValuesListItemsAndKeys() {
        Map<String, Object> doc = new LinkedHashMap<>();
        for (int i = 0; i < AWKWARD.size(); i++) {
            doc.put("k" + i, AWKWARD.get(i));
        }
        doc.put("list", AWKWARD);
        doc.put("maps", AWKWARD.stream().map(s -> Map.of("v", s)).toList());
        Map<String, Object> keys = new LinkedHashMap<>();
        AWKWARD.stream().filter(s -> !s.contains("\n")).distinct().forEach(s -> keys.put(s, 1));
        doc.put("keys", keys);
        doc.put("flags", List.of(true, false, 420));
        doc.put("empty", List.of());
        doc.put("nested", Map.of("deeper", List.of(Map.of("x", List.of("a\nb\n")))));
        String yaml = YamlWriter.write(doc);
        Map<String, Object> back = parse(yaml);
        for (int i = 0; i < AWKWARD.size(); i++) {
            assertEquals(AWKWARD.get(i), back.get("k" + i), "k" + i + " in\n" + yaml);
        }
        assertEquals(AWKWARD, back.get("list"), yaml);
        assertEquals(AWKWARD.stream().map(s -> Map.of("v", s)).toList(), back.get("maps"), yaml);
        assertEquals(keys, back.get("keys"), yaml);
        assertEquals(List.of(true, false, 420), back.get("flags"));
        assertEquals(List.of(), back.get("empty"));
        assertEquals(Map.of("deeper", List.of(Map.of("x", List.of("a\nb\n")))), back.get("nested"));
    }

    @Test
    void fileContentsUseLiteralBlocks() {
        String yaml = YamlWriter.write(Map.of("inline", "[Service]\nExecStart=/bin/true\n"));
        assertEquals("inline: |\n  [Service]\n  ExecStart=/bin/true\n", yaml);
    }
}
