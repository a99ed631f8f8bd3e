/**
 * The load generator behind {@code jecho bench}: per-connection request handlers, HdrHistogram recording,
 * and the reports (table, JSON, HTML, HdrHistogram interval logs and their merge).
 */
package dev.jecho.internal.bench;
