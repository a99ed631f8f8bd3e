package dev.jecho.junit;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The Netty buffer leaks reported while a server ran. Netty's leak detector tracks buffers (every one at
 * PARANOID) and reports one that was garbage-collected unreleased the next time a buffer is allocated; this
 * listens to the detector of every {@code ByteBuf}, whichever factory made it (jecho's own tests install one),
 * so it sees what Netty reports without replacing anything.
 */
final class BufferLeaks {

    private static final List<String> LEAKS = new ArrayList<>();
    private static boolean watching;
    private static String unavailable;

    private BufferLeaks() {
    }

    /**
     * Starts listening, once per JVM, and turns the detector to PARANOID unless {@code io.netty.leakDetection.level}
     * is set: a leak the detector does not track cannot be reported.
     *
     * @return null, or why leaks cannot be watched here
     */
    static synchronized String watch() {
        if (watching || unavailable != null) {
            return unavailable;
        }
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        try {
            // Netty keeps the ByteBuf detector in a package-private field; Netty's own tests reach it the same way.
            Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
            field.setAccessible(true);
            ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
            detector.setLeakListener((resourceType, records) -> {
                synchronized (BufferLeaks.class) {
                    LEAKS.add(resourceType + " leaked" + (records.isEmpty() ? " (no records)" : ":" + records));
                }
            });
            watching = true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = "cannot watch Netty's buffer leak detector (" + e + ")";
        }
        return unavailable;
    }

    /** How many leaks have been reported so far: what {@link #since} counts from. */
    static synchronized int mark() {
        return LEAKS.size();
    }

    /**
     * The leaks reported since {@code mark}, after giving the detector its chance: unreleased buffers are found
     * when the garbage collector has cleared them, and reported at the next allocation.
     */
    static List<String> since(int mark) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(30);
            ByteBufAllocator.DEFAULT.buffer(8).release();
            ByteBufAllocator.DEFAULT.directBuffer(8).release();
            ByteBufAllocator.DEFAULT.heapBuffer(8).release();
        }
        synchronized (BufferLeaks.class) {
            return new ArrayList<>(LEAKS.subList(mark, LEAKS.size()));
        }
    }
}
