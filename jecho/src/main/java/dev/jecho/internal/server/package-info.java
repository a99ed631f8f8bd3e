/**
 * The server behind {@link dev.jecho.JechoServer}: the listeners (one {@link dev.jecho.internal.server.ListenerKind}
 * per kind: TCP, Unix sockets, UDP), their pipelines and policies: the limits that keep it serving under abuse
 * (accept cap, per-source admission and penalties, timeouts, UDP rate limit), protected mode and the graceful
 * stop. {@link dev.jecho.ServerConfig} hands each part only its own group of settings, an immutable record that
 * checks its values where it is built: {@link dev.jecho.internal.server.StreamOptions},
 * {@link dev.jecho.internal.transport.SocketOptions}, {@link dev.jecho.internal.server.ConnectionLimits},
 * {@link dev.jecho.internal.server.Timeouts}, {@link dev.jecho.internal.server.UdpPolicy},
 * {@link dev.jecho.internal.server.Authentication}, {@link dev.jecho.internal.server.JsonMessages},
 * {@link dev.jecho.internal.server.ProxyProtocol}, {@link dev.jecho.internal.server.EventLoops} (TLS is the API's
 * own {@link dev.jecho.ServerTls}). Faults injected on purpose, for testing clients: one syntax
 * ({@link dev.jecho.internal.server.FaultSpec}), the live set and its seeded generators
 * ({@link dev.jecho.internal.server.FaultSet}), a stage on a connection that meets one
 * ({@link dev.jecho.internal.server.StreamFaultHandler}) or on a UDP listener while there are datagram faults
 * ({@link dev.jecho.internal.server.DatagramFaultHandler}), and none otherwise. Why a connection closed is a channel attribute set where that is decided
 * ({@link dev.jecho.internal.server.CloseReason}). Types are public only where the API or another package
 * reaches them.
 */
package dev.jecho.internal.server;
