package dev.sysext.stage;

import dev.sysext.fetch.Evidence;
import java.io.IOException;
import java.util.List;

/** Verified artifacts of one version, ready to be laid out in an image. */
public interface Payload {
    /** Every check the artifacts passed (or, by the user's choice, did not undergo), in the order made. */
    List<Evidence> evidence();

    /**
     * The artifacts laid out, with their upstream URLs and the SHA-256 of the bytes used, for the
     * image's build manifest.
     */
    List<BuildInput> inputs();

    /**
     * Writes the extension's files into {@code tree}, in an order that depends only on the
     * artifacts (so that the image is reproducible).
     *
     * @throws StageException when an artifact holds something that has no place in an image
     */
    void layOut(ImageTree tree) throws IOException;
}
