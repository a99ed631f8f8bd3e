package dev.jecho.internal;

import java.util.Objects;

/**
 * A way from jecho's internal packages into one API class, for what only jecho itself uses (the keys behind
 * a {@code Keyring}, the Netty context behind a {@code ServerTls}). The API class opens its door in its static
 * initializer, so none of that has to be a public method of the API: the JDK's {@code SharedSecrets} idiom.
 *
 * @param <D> what the door lets through: an interface that the internal package defines and the API class implements
 */
public final class ApiDoor<D> {

    private final Class<?> apiClass;
    private volatile D door;

    /** A door into {@code apiClass}, which opens it when it is initialised. */
    public ApiDoor(Class<?> apiClass) {
        this.apiClass = Objects.requireNonNull(apiClass, "apiClass");
    }

    /** Called once, by the API class's static initializer. */
    public void open(D door) {
        Objects.requireNonNull(door, "door");
        synchronized (this) {
            if (this.door != null) {
                throw new IllegalStateException(apiClass.getName() + " has opened its door already");
            }
            this.door = door;
        }
    }

    /** The door, initialising the API class first when nothing has yet (a static method reached before any instance). */
    public D get() {
        D d = door;
        if (d != null) {
            return d;
        }
        try {
            Class.forName(apiClass.getName(), true, apiClass.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        d = door;
        if (d == null) {
            throw new IllegalStateException(apiClass.getName() + " did not open its door");
        }
        return d;
    }
}
