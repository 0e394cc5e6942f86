package dev.sysext.stage.internal;

import dev.sysext.stage.StageException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules every path in a sysext image obeys: relative, normalised, under {@code usr/} or
 * {@code opt/} (systemd-sysext merges nothing else), and never in {@code usr/sbin}, which Flatcar
 * merges with {@code usr/bin}.
 */
public final class ImagePaths {
    private ImagePaths() {
    }

    /**
     * {@code path} checked and normalised ({@code ./} and repeated slashes dropped).
     *
     * @param what names the source of the path in the message (an archive entry, a recipe file)
     * @throws StageException naming {@code what} and the rule it breaks
     */
    public static String check(String path, String what) throws StageException {
        List<String> parts = components(path, what);
        if (parts.isEmpty()) {
            throw new StageException(what + ": the image root cannot be written directly");
        }
        String top = parts.get(0);
        if (!top.equals("usr") && !top.equals("opt")) {
            throw new StageException(what + ": '" + path + "' is outside usr/ and opt/, which is all systemd-sysext merges");
        }
        if (parts.size() >= 2 && top.equals("usr") && parts.get(1).equals("sbin")) {
            throw new StageException(what + ": '" + path + "' is in usr/sbin, which Flatcar merges with usr/bin;"
                    + " use usr/bin");
        }
        return String.join("/", parts);
    }

    /**
     * The components of a relative path, without {@code .} and empty ones.
     *
     * @throws StageException when the path is absolute or has a {@code ..} component
     */
    public static List<String> components(String path, String what) throws StageException {
        if (path.startsWith("/")) {
            throw new StageException(what + ": absolute path '" + path + "' refused");
        }
        if (path.indexOf('\0') >= 0) {
            throw new StageException(what + ": path contains a NUL character");
        }
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.equals("..")) {
                throw new StageException(what + ": path '" + path + "' climbs out of its tree with '..'");
            }
            if (!p.isEmpty() && !p.equals(".")) {
                out.add(p);
            }
        }
        return out;
    }
}
