package dev.jecho.junit;

import dev.jecho.Endpoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which listener's endpoint an {@link Endpoint} parameter gets, when the server has several:
 * {@code @Listener(Endpoint.Kind.UDP) Endpoint udp}. Without it, a parameter gets the first listener's.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Listener {

    /**
     * The kind of listener.
     *
     * @return TCP, UDP or UNIX
     */
    Endpoint.Kind value();
}
