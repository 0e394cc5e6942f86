package dev.sysext.sysupdate.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file through a temporary file in the same directory and renames it into place, so
 * readers (a web server, a running systemd-sysupdate) see either the old or the new content.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * Replaces {@code target} with {@code content}.
     *
     * @param mode the file's permissions, e.g. {@code rw-r--r--}; the temporary file has them from
     *             its creation so a secret is never readable by others
     */
    public static void write(Path target, byte[] content, String mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(permissions));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                out.write(content);
                out.flush();
                channel.force(true);
            } catch (FileSystemException e) {
                throw e;
            } catch (IOException e) {
                // A full disk says only "No space left on device": say which file.
                FileSystemException named = new FileSystemException(target.toString(), null,
                        e.getMessage() + " (writing its temporary file " + temp.getFileName() + ")");
                named.initCause(e);
                throw named;
            }
            // createTempFile's attribute is filtered by the umask; set the mode exactly.
            Files.setPosixFilePermissions(temp, permissions);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
