package dev.sysext.stage;

import java.io.IOException;
import java.util.List;

/** Verified artifacts of one version, ready to be laid out in an image. */
public interface Payload {
    /** One line per verification that passed (hash and its source, signer fingerprint). */
    List<String> evidence();

    /**
     * Writes the extension's files into {@code tree}, in an order that depends only on the
     * artifacts (so that the image is reproducible).
     *
     * @throws StageException when an artifact holds something that has no place in an image
     */
    void layOut(ImageTree tree) throws IOException;
}
