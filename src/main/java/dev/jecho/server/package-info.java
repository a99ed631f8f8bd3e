/**
 * The server: listeners (TCP, UDP, Unix sockets), their pipelines and policies: the limits that keep it
 * serving under abuse (accept cap, per-source admission and penalties, timeouts, UDP rate limit) and the
 * graceful stop. {@link dev.jecho.server.JechoServer}, {@link dev.jecho.server.ServerConfig} with the values
 * it takes ({@link dev.jecho.server.Cidr}, {@link dev.jecho.server.MaxStartups},
 * {@link dev.jecho.server.PenaltyPolicy}) and {@link dev.jecho.server.ServerStats} are the public API;
 * everything else is package-private.
 */
package dev.jecho.server;
