/**
 * What the server tells an operator: a recorder interface the server calls ({@link dev.jecho.metrics.ListenerRecorder},
 * with a no-op {@code NONE}), its Prometheus backend, and the small HTTP endpoint for {@code /metrics},
 * {@code /health} and {@code /connections}. Metrics observe and never interfere: a recorder never throws,
 * never blocks and never allocates per message.
 */
package dev.jecho.metrics;
