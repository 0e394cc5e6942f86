package dev.sysext.squashfs;

import dev.sysext.entry.EntryMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Adds a tree's entries to a writer in a shuffled order (hard links last), the way no walk would. */
final class ShuffledArrival {
    private ShuffledArrival() {
    }

    static void add(SquashfsWriter w, Path root, long seed) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = new ArrayList<>(s.filter(p -> !p.equals(root)).toList());
        }
        Collections.sort(all);
        Map<Object, String> firstName = new HashMap<>();
        List<String[]> links = new ArrayList<>();
        List<Path> primary = new ArrayList<>();
        for (Path p : all) {
            Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            String rel = root.relativize(p).toString();
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && (Integer) a.get("nlink") > 1) {
                String first = firstName.putIfAbsent(List.of(a.get("dev"), a.get("ino")), rel);
                if (first != null) {
                    links.add(new String[] {rel, first});
                    continue;
                }
            }
            primary.add(p);
        }
        Collections.shuffle(primary, new Random(seed));
        w.directory("", metadata(root));
        for (Path p : primary) {
            String rel = root.relativize(p).toString();
            Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            int type = (Integer) a.get("mode") & 0170000;
            long rdev = (Long) a.get("rdev");
            EntryMetadata m = metadata(p);
            switch (type) {
                case 0040000 -> w.directory(rel, m);
                case 0100000 -> w.file(rel, m, p);
                case 0120000 -> w.symlink(rel, m, Files.readSymbolicLink(p).toString());
                case 0020000 -> w.charDevice(rel, m, major(rdev), minor(rdev));
                case 0060000 -> w.blockDevice(rel, m, major(rdev), minor(rdev));
                case 0010000 -> w.fifo(rel, m);
                default -> w.socket(rel, m);
            }
        }
        Collections.shuffle(links, new Random(seed + 1));
        for (String[] l : links) {
            w.hardLink(l[0], l[1]);
        }
    }

    private static EntryMetadata metadata(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        Map<String, byte[]> x = new TreeMap<>();
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
            for (String n : v.list()) {
                ByteBuffer b = ByteBuffer.allocate(v.size(n));
                v.read(n, b);
                x.put("user." + n, Arrays.copyOf(b.array(), b.position()));
            }
        }
        return new EntryMetadata((Integer) a.get("mode") & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
                ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000, x);
    }

    /** The kernel's new_decode_dev. */
    private static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL));
    }

    private static int minor(long rdev) {
        return (int) ((rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL));
    }
}
