package dev.jecho.server;

import dev.jecho.server.PenaltyPolicy.Offence;
import dev.jecho.server.ServerStats.Refusal;

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
 * ({@link dev.jecho.protocol.ConnectionEvents.AuthenticationFailed}), which {@link #failed} penalises.
 * Connections from every event loop meet here, so every method takes the lock; they run once or twice per
 * connection, never per message. Times are nanoseconds from the caller's event loop ticker.
 *
 * <p>Sources are keyed by address alone (not port), from {@link dev.jecho.protocol.ConnectionEvents.PeerKnown}:
 * behind a PROXY-protocol load balancer that is the real client. Unix-socket peers and exempt sources
 * ({@code --limit-exempt}) skip every per-source and pre-authentication cap and are never penalised.
 */
final class SourceLimits {

    /** One admitted connection's claim on the limits; released exactly once. */
    static final class Ticket {
        /** Null when the source is exempt. */
        final InetAddress source;
        boolean preAuth;
        boolean released;

        Ticket(InetAddress source, boolean preAuth) {
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
    private final PenaltyTable penalties;
    private final Random random;
    private final ConnectionLog log;
    private final Map<InetAddress, Counts> bySource = new HashMap<>();
    /** Unauthenticated connections, exempt ones included. */
    private int preAuth;
    /** Unauthenticated connections from sources that are not exempt: what MaxStartups counts. */
    private int startups;

    SourceLimits(ServerConfig config, Random random, ConnectionLog log) {
        this.maxStartups = config.maxStartups();
        this.maxStartupsPerIp = config.maxStartupsPerIp();
        this.maxConnectionsPerIp = config.maxConnectionsPerIp();
        this.exempt = config.limitExempt();
        this.penalties = new PenaltyTable(config.penalties());
        this.random = random;
        this.log = log;
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
        InetAddress source = peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
        boolean limited = source != null && !isExempt(exempt, source);
        if (limited) {
            PenaltyTable.Entry penalty = penalties.refusing(source, now);
            if (penalty != null) {
                return refused(Refusal.PENALTY, host(source) + " is penalised for " + penalty.last.description
                        + ", " + seconds(penalty.expiry - now) + " left");
            }
            Counts c = bySource.get(source);
            if (maxConnectionsPerIp > 0 && c != null && c.all >= maxConnectionsPerIp) {
                penalise(source, Offence.REFUSED, now);
                return refused(Refusal.PER_IP, host(source) + " already has " + c.all + " connections, --max-connections-per-ip");
            }
            if (preAuthPhase && maxStartupsPerIp > 0 && c != null && c.preAuth >= maxStartupsPerIp) {
                penalise(source, Offence.REFUSED, now);
                return refused(Refusal.STARTUPS_PER_IP, host(source) + " already has " + c.preAuth
                        + " unauthenticated connections, --max-startups-per-ip");
            }
            if (preAuthPhase && maxStartups.refuses(startups, random.nextInt(100))) {
                return refused(Refusal.STARTUPS, startups + " unauthenticated connections open, --max-startups " + maxStartups);
            }
        }
        Ticket ticket = new Ticket(limited ? source : null, preAuthPhase);
        if (limited) {
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
        leavePreAuth(ticket);
    }

    /**
     * The handshake failed (a timeout included): the connection leaves the startups and its source earns a
     * penalty, once, however often this is called.
     */
    synchronized void failed(Ticket ticket, Offence offence, long now) {
        boolean wasPreAuth = ticket.preAuth;
        leavePreAuth(ticket);
        if (wasPreAuth && ticket.source != null) {
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

    synchronized boolean isPenalised(InetAddress source, long now) {
        return penalties.refusing(source, now) != null;
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

    private void penalise(InetAddress source, Offence offence, long now) {
        if (penalties.penalise(source, offence, now)) {
            log.penalised(host(source), seconds(penalties.remaining(source, now)), offence.description);
        }
    }

    private static Admission refused(Refusal why, String reason) {
        return new Admission(null, why, reason);
    }

    static String host(InetAddress address) {
        String h = address.getHostAddress();
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    static String seconds(long nanos) {
        return ConnectionLog.formatDuration(Math.max(nanos, TimeUnit.MILLISECONDS.toNanos(1)));
    }
}
