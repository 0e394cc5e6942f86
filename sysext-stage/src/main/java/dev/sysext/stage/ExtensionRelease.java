package dev.sysext.stage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code usr/lib/extension-release.d/extension-release.NAME} file systemd-sysext matches
 * against the host's os-release.
 *
 * @param name the extension name; must equal the image file name without {@code .raw}
 * @param id the host OS id, or {@code _any}
 * @param sysextLevel required when {@code id} is not {@code _any}; null otherwise
 * @param architecture systemd's architecture name ({@code x86-64}, {@code arm64}) or {@code _any}
 * @param reloadManager whether systemd reloads units after merging ({@code EXTENSION_RELOAD_MANAGER=1})
 */
public record ExtensionRelease(String name, String id, String sysextLevel, String architecture, boolean reloadManager) {
    /** The id that matches every host. */
    public static final String ANY = "_any";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._-]+");

    public ExtensionRelease {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("extension name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        if (!VALUE.matcher(id).matches() || !VALUE.matcher(architecture).matches()) {
            throw new IllegalArgumentException("ID '" + id + "' and ARCHITECTURE '" + architecture + "' must be single words");
        }
        if (!ANY.equals(id) && (sysextLevel == null || !VALUE.matcher(sysextLevel).matches())) {
            throw new IllegalArgumentException("ID=" + id + " needs a SYSEXT_LEVEL, or systemd-sysext refuses the image");
        }
    }

    /**
     * The fields of an os-release or extension-release file, in file order: {@code KEY=value} lines as
     * os-release(5) defines them, comments and blank lines skipped, one level of quotes removed.
     */
    public static Map<String, String> parseFields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || eq <= 0) {
                continue;
            }
            String value = l.substring(eq + 1);
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1);
            }
            fields.put(l.substring(0, eq), value);
        }
        return fields;
    }

    /** Path of the file inside the image. */
    public String path() {
        return "usr/lib/extension-release.d/extension-release." + name;
    }

    /** The file's content, one {@code KEY=value} per line. */
    public String render() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("ID", id);
        if (!ANY.equals(id)) {
            fields.put("SYSEXT_LEVEL", sysextLevel);
        }
        fields.put("ARCHITECTURE", architecture);
        if (reloadManager) {
            fields.put("EXTENSION_RELOAD_MANAGER", "1");
        }
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }
}
