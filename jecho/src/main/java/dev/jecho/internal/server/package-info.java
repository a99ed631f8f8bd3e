/**
 * The server: listeners (TCP, UDP, Unix sockets), their pipelines and policies: the limits that keep it
 * serving under abuse (accept cap, per-source admission and penalties, timeouts, UDP rate limit) and the
 * graceful stop. {@link dev.jecho.JechoServer}, {@link dev.jecho.ServerConfig} with the values
 * it takes ({@link dev.jecho.internal.server.Cidr}, {@link dev.jecho.internal.server.MaxStartups},
 * {@link dev.jecho.internal.server.PenaltyPolicy}) and {@link dev.jecho.ServerStats} are the public API;
 * everything else is package-private.
 */
package dev.jecho.internal.server;
