package dev.jecho.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * How a stream connection's read loop sizes its buffers and when it stops: Netty's adaptive predictor
 * ({@code AdaptiveRecvByteBufAllocator}) with its default policy (read again while the last read filled its
 * buffer, at most {@link #maxMessagesPerRead} times per wake-up), for buffers of powers of two between a
 * minimum and a maximum. The same decisions, in a smaller handle: Netty's takes three objects per
 * connection (the handle, its size calculator and a callback, 112 bytes), this one takes one of 40 bytes,
 * which every idle connection keeps for as long as it lives (docs/benchmarks.md, idle memory).
 *
 * <p>Between powers of two, Netty's size table steps by doubling, so its index arithmetic is a shift here:
 * the guess grows 16-fold ({@code INDEX_INCREMENT} 4) after a read that filled it, and halves after two
 * read loops in a row that would have fitted in half of it.
 */
final class StreamReads implements RecvByteBufAllocator {

    private final byte minShift;
    private final byte initialShift;
    private final byte maxShift;
    private final int maxMessagesPerRead;

    /**
     * @param minimum the smallest buffer, a power of two from 1024 on (as are the two others)
     * @param initial a new connection's first buffer
     * @param maximum the largest buffer
     */
    StreamReads(int minimum, int initial, int maximum, int maxMessagesPerRead) {
        this.minShift = shiftOf(minimum);
        this.initialShift = shiftOf(initial);
        this.maxShift = shiftOf(maximum);
        if (minShift > initialShift || initialShift > maxShift) {
            throw new IllegalArgumentException("need minimum <= initial <= maximum: " + minimum + ", " + initial + ", " + maximum);
        }
        if (maxMessagesPerRead < 1) {
            throw new IllegalArgumentException("maxMessagesPerRead: " + maxMessagesPerRead);
        }
        this.maxMessagesPerRead = maxMessagesPerRead;
    }

    private static byte shiftOf(int size) {
        if (size < 1024 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("a read buffer size must be a power of two from 1024 on: " + size);
        }
        return (byte) Integer.numberOfTrailingZeros(size);
    }

    @Override
    public Handle newHandle() {
        return new Reads();
    }

    /** One connection's: the guess, kept between read loops, and the count of the current loop. */
    private final class Reads implements ExtendedHandle {
        private ChannelConfig config;
        private int messages;
        private int bytesRead;
        private int attempted;
        private int last;
        /** The guess is {@code 1 << shift}. */
        private byte shift = initialShift;
        private boolean decreaseNow;

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return alloc.ioBuffer(guess());
        }

        @Override
        public int guess() {
            return 1 << shift;
        }

        @Override
        public void reset(ChannelConfig config) {
            this.config = config;
            messages = 0;
            bytesRead = 0;
        }

        @Override
        public void incMessagesRead(int numMessages) {
            messages += numMessages;
        }

        @Override
        public void lastBytesRead(int bytes) {
            // a read that filled its buffer may grow the guess at once, before the loop reads again
            if (bytes == attempted) {
                record(bytes);
            }
            last = bytes;
            if (bytes > 0) {
                bytesRead += bytes;
            }
        }

        @Override
        public int lastBytesRead() {
            return last;
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            attempted = bytes;
        }

        @Override
        public int attemptedBytesRead() {
            return attempted;
        }

        @Override
        public boolean continueReading() {
            return config.isAutoRead() && attempted == last && messages < maxMessagesPerRead && bytesRead > 0;
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreData) {
            return config.isAutoRead() && maybeMoreData.get() && messages < maxMessagesPerRead && bytesRead > 0;
        }

        @Override
        public void readComplete() {
            record(bytesRead < 0 ? Integer.MAX_VALUE : bytesRead);
        }

        private void record(int size) {
            // one step down Netty's size table is half the guess (from 1024 on, the table doubles)
            if (size <= 1 << (shift - 1)) {
                if (decreaseNow) {
                    shift = (byte) Math.max(shift - 1, minShift);
                    decreaseNow = false;
                } else {
                    decreaseNow = true;
                }
            } else if (size >= 1 << shift) {
                shift = (byte) Math.min(shift + 4, maxShift);
                decreaseNow = false;
            }
        }
    }
}
