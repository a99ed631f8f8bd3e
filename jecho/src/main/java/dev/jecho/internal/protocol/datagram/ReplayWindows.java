package dev.jecho.internal.protocol.datagram;

import dev.jecho.Keyring;
import dev.jecho.internal.keys.Keys;
import dev.jecho.internal.keys.SharedKey;

import java.util.HashMap;
import java.util.Map;

/**
 * A server's replay windows, one per key, shared by every UDP listener: a datagram captured on its way to one
 * listener and replayed to another one with the same key is refused there too. A key's own window means one
 * key's traffic cannot fill the nonce memory of another's.
 */
public final class ReplayWindows {

    private final Map<SharedKey, ReplayWindow> byKey;

    private ReplayWindows(Map<SharedKey, ReplayWindow> byKey) {
        this.byKey = Map.copyOf(byKey);
    }

    /** A window of the default width and capacity for each key of the ring. */
    public static ReplayWindows of(Keyring keys) {
        Map<SharedKey, ReplayWindow> byKey = new HashMap<>();
        for (SharedKey key : Keys.of(keys).all()) {
            byKey.put(key, new ReplayWindow(ReplayWindow.DEFAULT_WINDOW_MILLIS, ReplayWindow.DEFAULT_CAPACITY));
        }
        return new ReplayWindows(byKey);
    }

    /** The window of a key of the ring this was made for. */
    public ReplayWindow forKey(SharedKey key) {
        ReplayWindow window = byKey.get(key);
        if (window == null) {
            throw new IllegalArgumentException("no replay window for " + key);
        }
        return window;
    }
}
