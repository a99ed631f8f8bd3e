package dev.jecho;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys a server accepts, or a client may use, looked up by id. Several keys let them rotate without
 * downtime: the server lists the old and the new key, clients move to the new one, then the old one goes.
 * A client uses the first key unless told which ({@link #select}).
 */
public final class Keyring {

    private final Map<String, SharedKey> byId;
    private final SharedKey primary;

    private Keyring(List<SharedKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no keys");
        }
        Map<String, SharedKey> map = new LinkedHashMap<>();
        for (SharedKey key : keys) {
            if (map.putIfAbsent(key.id(), key) != null) {
                throw new IllegalArgumentException(key.id().isEmpty()
                        ? "more than one key without an id (give each key an id: ID:BASE64)"
                        : "key id '" + key.id() + "' appears twice");
            }
        }
        this.byId = Collections.unmodifiableMap(map);
        this.primary = keys.get(0);
    }

    public static Keyring of(List<SharedKey> keys) {
        return new Keyring(new ArrayList<>(keys));
    }

    public static Keyring of(SharedKey... keys) {
        return new Keyring(List.of(keys));
    }

    /** The key with this id, or null. */
    public SharedKey find(String id) {
        return byId.get(id);
    }

    /** The first key listed: the one a client uses by default. */
    public SharedKey primary() {
        return primary;
    }

    /** A keyring whose primary key is the one named, for a client told which key to use. */
    public Keyring select(String id) {
        SharedKey key = find(id);
        if (key == null) {
            throw new IllegalArgumentException("no key with id '" + id + "' (ids: " + String.join(", ", byId.keySet()) + ")");
        }
        List<SharedKey> keys = new ArrayList<>();
        keys.add(key);
        byId.values().stream().filter(k -> k != key).forEach(keys::add);
        return new Keyring(keys);
    }

    public List<SharedKey> keys() {
        return List.copyOf(byId.values());
    }

    /** The shortest key's length: the strength of the weakest key accepted. */
    public int shortestKeyLength() {
        return byId.values().stream().mapToInt(SharedKey::length).min().orElse(0);
    }

    @Override
    public String toString() {
        return "Keyring" + byId.values();
    }
}
