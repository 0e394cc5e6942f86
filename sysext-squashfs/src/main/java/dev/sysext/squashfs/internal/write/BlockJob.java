package dev.sysext.squashfs.internal.write;

/**
 * One data or fragment block on its way into the image. The processor owns {@code data} from
 * submission on; {@code placement} hears where the block landed, on the submitting thread, in
 * submission order.
 */
record BlockJob(byte[] data, int length, boolean fragment, Placement placement) {

    /** Receives the image offset and the on-disk size word of a placed block. */
    interface Placement {
        void placed(long location, int sizeWord);
    }
}
