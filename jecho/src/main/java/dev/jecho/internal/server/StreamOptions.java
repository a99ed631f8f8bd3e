package dev.jecho.internal.server;

import io.netty.channel.WriteBufferWaterMark;

/**
 * What a stream listener (TCP or Unix socket) and the connections it accepts get besides their socket options:
 * the accept queue and the write-buffer water marks that pause reading from a client that does not read
 * ({@link BackpressureHandler}).
 *
 * @param backlog         the accept queue length (the kernel caps it at {@code somaxconn})
 * @param writeBufferLow  reading a connection resumes when its unsent replies drop below this many bytes
 * @param writeBufferHigh reading a connection pauses when its unsent replies exceed this many bytes
 */
public record StreamOptions(int backlog, int writeBufferLow, int writeBufferHigh) {

    public StreamOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        }
        if (writeBufferLow < 1 || writeBufferHigh < writeBufferLow) {
            throw new IllegalArgumentException("need 0 < low <= high, got low=" + writeBufferLow + " high=" + writeBufferHigh);
        }
    }

    WriteBufferWaterMark waterMark() {
        return new WriteBufferWaterMark(writeBufferLow, writeBufferHigh);
    }
}
