package dev.jecho.internal.server;

import dev.jecho.ServerStats.Refusal;
import dev.jecho.internal.server.PenaltyPolicy.Offence;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Who may connect, for the whole server: the per-source caps, the pre-authentication caps (OpenSSH's
 * {@code MaxStartups} and {@code PerSourceMaxStartups}) and the penalty table. The handshake deadline is
 * not kept here: the handshake handler closes its own connection when it passes, and reports the timeout
 * ({@link dev.jecho.internal.protocol.ConnectionEvents.AuthenticationFailed}), which {@link #failed} penalises.
 * Connections from every event loop meet here, so every method takes the lock; they run once or twice per
 * connection, never per message. Times are nanoseconds from the caller's event loop ticker.
 *
 * <p>A source is an address block ({@link SourcePrefix}: a /24 or a /64 by default), taken from the address
 * (not the port) in {@link dev.jecho.internal.protocol.ConnectionEvents.PeerKnown}: behind a PROXY-protocol load
 * balancer that is the real client. Unix-socket peers and exempt addresses ({@code --limit-exempt}, matched
 * one by one) skip every per-source and pre-authentication cap and are never penalised.
 */
public final class SourceLimits {

    /** One admitted connection's claim on the limits; released exactly once. */
    static final class Ticket {
        /** Null when the source is exempt. */
        final Cidr source;
        boolean preAuth;
        /** Its handshake (TLS, then jecho's) has succeeded or failed: a connection earns one penalty at most. */
        boolean judged;
        boolean released;

        Ticket(Cidr source, boolean preAuth) {
            this.source = source;
            this.preAuth = preAuth;
        }
    }

    /** The outcome of {@link #admit}: a ticket, or why not. */
    record Admission(Ticket ticket, Refusal refusal, String reason) {
    }

    private static final class Counts {
        int all;
        int preAuth;
    }

    private final MaxStartups maxStartups;
    private final int maxStartupsPerIp;
    private final int maxConnectionsPerIp;
    private final List<Cidr> exempt;
    private final SourcePrefix prefix;
    private final PenaltyTable<Cidr> penalties;
    private final Random random;
    private final ConnectionLog log;
    private final Map<Cidr, Counts> bySource = new HashMap<>();
    /** Unauthenticated connections, exempt ones included. */
    private int preAuth;
    /** Unauthenticated connections from sources that are not exempt: what MaxStartups counts. */
    private int startups;

    SourceLimits(ConnectionLimits limits, Random random, ConnectionLog log) {
        this.maxStartups = limits.maxStartups();
        this.maxStartupsPerIp = limits.maxStartupsPerIp();
        this.maxConnectionsPerIp = limits.maxConnectionsPerIp();
        this.exempt = limits.exempt();
        this.prefix = limits.sourcePrefix();
        this.penalties = new PenaltyTable<>(limits.penalties());
        this.random = random;
        this.log = log;
    }

    /**
     * The server's per-source limits, or null when it needs none: per-source state is kept only where some limit
     * needs it (a handshake to fail, a TLS one included, or a per-source cap); a plain echo server keeps none per
     * connection.
     */
    public static SourceLimits forServer(ConnectionLimits limits, boolean authenticates, boolean tls, ConnectionLog log) {
        return authenticates || tls || limits.maxConnectionsPerIp() > 0 ? new SourceLimits(limits, new Random(), log) : null;
    }

    /** Whether the source skips every per-source limit. */
    static boolean isExempt(List<Cidr> exempt, InetAddress source) {
        for (Cidr block : exempt) {
            if (block.contains(source)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Decides on a connection whose client address has just become known.
     *
     * @param preAuthPhase whether the connection must now authenticate
     */
    synchronized Admission admit(SocketAddress peer, boolean preAuthPhase, long now) {
        InetAddress address = peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
        Cidr source = address != null && !isExempt(exempt, address) ? prefix.of(address) : null;
        if (source != null) {
            PenaltyTable.Entry<Cidr> penalty = penalties.refusing(source, now);
            if (penalty != null) {
                return refused(Refusal.PENALTY, describe(source) + " is penalised for " + penalty.last.description
                        + ", " + seconds(penalty.expiry - now) + " left");
            }
            Counts c = bySource.get(source);
            if (maxConnectionsPerIp > 0 && c != null && c.all >= maxConnectionsPerIp) {
                penalise(source, Offence.REFUSED, now);
                return refused(Refusal.PER_IP, describe(source) + " already has " + c.all + " connections, --max-connections-per-ip");
            }
            if (preAuthPhase && maxStartupsPerIp > 0 && c != null && c.preAuth >= maxStartupsPerIp) {
                penalise(source, Offence.REFUSED, now);
                return refused(Refusal.STARTUPS_PER_IP, describe(source) + " already has " + c.preAuth
                        + " unauthenticated connections, --max-startups-per-ip");
            }
            if (preAuthPhase && maxStartups.refuses(startups, random.nextInt(100))) {
                return refused(Refusal.STARTUPS, startups + " unauthenticated connections open, --max-startups " + maxStartups);
            }
        }
        Ticket ticket = new Ticket(source, preAuthPhase);
        if (source != null) {
            Counts c = bySource.computeIfAbsent(source, k -> new Counts());
            c.all++;
            if (preAuthPhase) {
                c.preAuth++;
                startups++;
            }
        }
        if (preAuthPhase) {
            preAuth++;
        }
        return new Admission(ticket, null, null);
    }

    /** The connection proved its key: it no longer counts as a startup. */
    synchronized void authenticated(Ticket ticket) {
        ticket.judged = true;
        leavePreAuth(ticket);
    }

    /**
     * The handshake failed (a timeout, a hang-up, a failed TLS handshake included): the connection leaves the
     * startups and its source earns a penalty for the first failure reported, once, however often this is
     * called.
     */
    synchronized void failed(Ticket ticket, Offence offence, long now) {
        boolean first = !ticket.judged;
        ticket.judged = true;
        leavePreAuth(ticket);
        if (first && ticket.source != null) {
            penalise(ticket.source, offence, now);
        }
    }

    /** The connection closed; idempotent. */
    synchronized void release(Ticket ticket) {
        if (ticket.released) {
            return;
        }
        leavePreAuth(ticket);
        ticket.released = true;
        if (ticket.source != null) {
            Counts c = bySource.get(ticket.source);
            if (c != null && --c.all <= 0) {
                bySource.remove(ticket.source);
            }
        }
    }

    /** Unauthenticated connections now (exempt ones included). */
    synchronized int preAuthConnections() {
        return preAuth;
    }

    /** Sources in the penalty table, active or accumulating. */
    synchronized int penaltyTableSize() {
        return penalties.size();
    }

    /** Whether connections from this address are refused by its source's penalty now. */
    synchronized boolean isPenalised(InetAddress address, long now) {
        return penalties.refusing(prefix.of(address), now) != null;
    }

    /** Sources with at least one open connection counted by these limits. */
    synchronized int trackedSources() {
        return bySource.size();
    }

    private void leavePreAuth(Ticket ticket) {
        if (ticket.preAuth) {
            ticket.preAuth = false;
            preAuth--;
            if (ticket.source != null) {
                startups--;
                Counts c = bySource.get(ticket.source);
                if (c != null) {
                    c.preAuth--;
                }
            }
        }
    }

    private void penalise(Cidr source, Offence offence, long now) {
        if (penalties.penalise(source, offence, now)) {
            log.penalised(describe(source), seconds(penalties.remaining(source, now)), offence.description);
        }
    }

    private static Admission refused(Refusal why, String reason) {
        return new Admission(null, why, reason);
    }

    /** {@code 192.0.2.0/24}, {@code 2001:db8::/64}; a single address as {@code 192.0.2.7} or {@code [::1]}. */
    static String describe(Cidr source) {
        String text = source.toString();
        return text.indexOf('/') < 0 && text.indexOf(':') >= 0 ? "[" + text + "]" : text;
    }

    static String seconds(long nanos) {
        return ConnectionLog.formatDuration(Math.max(nanos, TimeUnit.MILLISECONDS.toNanos(1)));
    }
}
