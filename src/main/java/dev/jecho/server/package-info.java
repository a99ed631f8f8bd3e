/**
 * The server: listeners (TCP, UDP, Unix sockets), their pipelines and policies. {@link dev.jecho.server.JechoServer}
 * and {@link dev.jecho.server.ServerConfig} are the public API; everything else is package-private.
 */
package dev.jecho.server;
