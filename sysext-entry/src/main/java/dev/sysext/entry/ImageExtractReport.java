package dev.sysext.entry;

import java.util.List;

/**
 * What an extraction wrote.
 *
 * @param directories directories created or updated
 * @param files regular files written
 * @param symlinks symlinks created
 * @param hardLinks additional names for already extracted inodes
 * @param specials devices, FIFOs and sockets created
 * @param skipped what could not be restored, one line each (devices without root, non-{@code user.} xattrs, ...)
 */
public record ImageExtractReport(long directories, long files, long symlinks, long hardLinks, long specials,
        List<String> skipped) {
    public ImageExtractReport {
        skipped = List.copyOf(skipped);
    }
}
