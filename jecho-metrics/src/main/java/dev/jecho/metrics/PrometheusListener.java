package dev.jecho.metrics;

import dev.jecho.ListenerRecorder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** One listener's counters: plain adders on the hot path, read only when Prometheus scrapes. */
final class PrometheusListener implements ListenerRecorder {

    volatile String listener;
    final String service;
    final boolean datagram;
    final LongAdder accepted = new LongAdder();
    final LongAdder closed = new LongAdder();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder handshakes = new LongAdder();
    final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    final Map<String, LongAdder> handshakeFailures = new ConcurrentHashMap<>();
    final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
    final Map<String, LongAdder> faults = new ConcurrentHashMap<>();
    final ProcessingHistogram processing = new ProcessingHistogram();

    PrometheusListener(String listener, String service) {
        this.listener = listener;
        this.service = service;
        this.datagram = listener.startsWith("udp:");
    }

    /** Labels the metrics with the address bound (the port that port 0 picked) instead of the configured one. */
    @Override
    public void bound(String boundListener) {
        this.listener = boundListener;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void connectionAccepted() {
        accepted.increment();
    }

    @Override
    public void connectionClosed() {
        closed.increment();
    }

    @Override
    public void connectionRefused(String reason) {
        count(refused, reason);
    }

    @Override
    public void messageReceived(int bytes) {
        messagesIn.increment();
        bytesIn.add(bytes);
    }

    @Override
    public void messageSent(int bytes) {
        messagesOut.increment();
        bytesOut.add(bytes);
    }

    @Override
    public void processed(long nanos) {
        processing.observe(nanos);
    }

    @Override
    public void handshakeSucceeded() {
        handshakes.increment();
    }

    @Override
    public void handshakeFailed(String reason) {
        count(handshakeFailures, reason);
    }

    @Override
    public void datagramReceived(int bytes) {
        messagesIn.increment();
        bytesIn.add(bytes);
    }

    @Override
    public void datagramSent(int bytes) {
        messagesOut.increment();
        bytesOut.add(bytes);
    }

    @Override
    public void datagramDropped(String reason) {
        count(dropped, reason);
    }

    @Override
    public void faultMet(String fault) {
        count(faults, fault);
    }

    /** Rare events only (refusals, failures, drops): one map look-up, an adder per distinct reason. */
    private static void count(Map<String, LongAdder> byReason, String reason) {
        String key = reason == null || reason.isEmpty() ? "unknown" : reason;
        LongAdder adder = byReason.get(key);
        if (adder == null) {
            adder = byReason.computeIfAbsent(key, k -> new LongAdder());
        }
        adder.increment();
    }
}
