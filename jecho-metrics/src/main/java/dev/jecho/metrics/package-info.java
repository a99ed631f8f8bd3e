/**
 * What the server tells an operator: a recorder interface the server calls ({@link dev.jecho.ListenerRecorder},
 * with a no-op {@code NONE}), its Prometheus backend, and the small HTTP endpoint for {@code /metrics},
 * {@code /health}, {@code /connections} and, on a server started to inject faults, {@code /faults} to change them
 * live (Netty's HTTP codec on an event loop of its own, with a
 * deadline per request and a connection cap, so that no client can hold it). Metrics observe and never interfere: a recorder never throws,
 * never blocks and never allocates per message.
 */
package dev.jecho.metrics;
