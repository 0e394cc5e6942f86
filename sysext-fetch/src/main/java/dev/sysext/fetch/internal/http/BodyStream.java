package dev.sysext.fetch.internal.http;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read one piece at a time with a timeout for each piece. The JDK client only
 * times out waiting for headers; a server that stalls mid-body would hang a plain InputStream
 * forever. At most {@link #WINDOW} pieces are requested ahead of the reader, so memory stays bounded
 * while data that arrived before a connection drops is still handed over.
 */
final class BodyStream implements HttpResponse.BodySubscriber<BodyStream> {
    private static final Object END = new Object();
    private static final int WINDOW = 8;

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Duration readTimeout;
    private volatile Flow.Subscription subscription;
    private boolean finished;

    BodyStream(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    @Override
    public CompletionStage<BodyStream> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(WINDOW);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /** The next buffers of the body, or {@code null} at its end. */
    List<ByteBuffer> next() throws IOException {
        if (finished) {
            return null;
        }
        Object o;
        try {
            o = queue.poll(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new IOException("interrupted while reading the response body", e);
        }
        if (o == null) {
            cancel();
            throw new HttpTimeoutException("no data for " + readTimeout.toMillis() + " ms while reading the body");
        }
        if (o == END) {
            finished = true;
            return null;
        }
        if (o instanceof Throwable t) {
            finished = true;
            throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
        }
        @SuppressWarnings("unchecked")
        List<ByteBuffer> buffers = (List<ByteBuffer>) o;
        subscription.request(1);
        return buffers;
    }

    /** Stops the transfer and frees the connection. */
    void cancel() {
        finished = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
