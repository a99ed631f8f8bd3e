package dev.jecho.internal.keys;

import dev.jecho.Keyring;
import dev.jecho.internal.ApiDoor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys behind a {@link Keyring}, by id, with the one a client uses first. What the handshakes and the tagged
 * datagrams read; the API's {@code Keyring} shows only ids and lengths.
 */
public final class Keys {

    /** What {@link Keyring} lets through: its keys, and a keyring made of keys. */
    public interface Door {
        /** The keys behind {@code keyring}. */
        Keys keys(Keyring keyring);

        /** A keyring of {@code keys}. */
        Keyring keyring(Keys keys);
    }

    /** Opened by {@link Keyring}. */
    public static final ApiDoor<Door> DOOR = new ApiDoor<>(Keyring.class);

    private final Map<String, SharedKey> byId;
    private final SharedKey primary;

    private Keys(List<SharedKey> keys) {
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

    /**
     * Keys in order, the first the primary one.
     *
     * @throws IllegalArgumentException when there are none, or two share an id
     */
    public static Keys of(List<SharedKey> keys) {
        return new Keys(new ArrayList<>(keys));
    }

    /** The keys behind a keyring, or null for none. */
    public static Keys of(Keyring keyring) {
        return keyring == null ? null : DOOR.get().keys(keyring);
    }

    /** The first key of a keyring: the one a client uses; null for no keyring. */
    public static SharedKey primaryOf(Keyring keyring) {
        return keyring == null ? null : of(keyring).primary();
    }

    /** These keys as the API's keyring. */
    public Keyring toKeyring() {
        return DOOR.get().keyring(this);
    }

    /** These keys and one more, after them. */
    public Keys with(SharedKey key) {
        List<SharedKey> keys = new ArrayList<>(byId.values());
        keys.add(key);
        return new Keys(keys);
    }

    /** The key with this id, or null. */
    public SharedKey find(String id) {
        return byId.get(id);
    }

    /** The first key listed: the one a client uses by default. */
    public SharedKey primary() {
        return primary;
    }

    /** The same keys with the one named first, for a client told which key to use. */
    public Keys select(String id) {
        SharedKey key = find(id);
        if (key == null) {
            throw new IllegalArgumentException("no key with id '" + id + "' (ids: " + String.join(", ", byId.keySet()) + ")");
        }
        List<SharedKey> keys = new ArrayList<>();
        keys.add(key);
        byId.values().stream().filter(k -> k != key).forEach(keys::add);
        return new Keys(keys);
    }

    /** Every key, the primary one first. */
    public List<SharedKey> all() {
        return List.copyOf(byId.values());
    }

    /** The ids, in order ({@code ""} for a key without one). */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
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
