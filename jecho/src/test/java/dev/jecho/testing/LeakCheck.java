package dev.jecho.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails a test class whose code leaked a Netty buffer. Registered for every test class (see
 * junit-platform.properties); the detector runs at PARANOID, so every buffer is tracked.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        collect();
        synchronized (LEAKS) {
            LEAKS.clear(); // leaks found now belong to an earlier class, which already reported them
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(30);
            collect();
        }
        synchronized (LEAKS) {
            assertThat(LEAKS).as("Netty buffers leaked by %s", context.getDisplayName()).isEmpty();
        }
    }

    /** Leaks are reported when the next buffer is allocated after the leaked one was collected. */
    private static void collect() {
        ByteBufAllocator.DEFAULT.buffer(8).release();
        ByteBufAllocator.DEFAULT.directBuffer(8).release();
        ByteBufAllocator.DEFAULT.heapBuffer(8).release();
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            synchronized (LEAKS) {
                LEAKS.add(resourceType + " leaked:" + records);
            }
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            synchronized (LEAKS) {
                LEAKS.add(resourceType + " leaked (no records)");
            }
            super.reportUntracedLeak(resourceType);
        }
    }
}
