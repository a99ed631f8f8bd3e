/**
 * jecho's public API: start a server ({@link dev.jecho.JechoServer} from a {@link dev.jecho.ServerConfig}),
 * talk to one ({@link dev.jecho.JechoClient}), measure one ({@link dev.jecho.Bench}), and say what a message
 * gets back ({@link dev.jecho.Service}). Everything under {@code dev.jecho.internal} is the implementation:
 * it may change in any release and is not for use outside jecho's own modules.
 */
package dev.jecho;
