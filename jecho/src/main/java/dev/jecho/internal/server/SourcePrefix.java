package dev.jecho.internal.server;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * How many leading bits of a client address make one source for the per-source caps and the penalties:
 * OpenSSH's {@code PerSourceNetBlockSize}, {@code --source-prefix IPV4[:IPV6]}. One machine easily holds a
 * whole IPv6 /64 and often many IPv4 addresses of one /24, so counting single addresses would let it
 * multiply every per-source cap; the default counts a /24 or a /64 as one source (OpenSSH's own default,
 * 32:128, counts addresses). {@code --limit-exempt} still matches single addresses.
 *
 * @param ipv4 bits of an IPv4 address, 0-32
 * @param ipv6 bits of an IPv6 address, 0-128
 */
public record SourcePrefix(int ipv4, int ipv6) {

    public static final SourcePrefix DEFAULT = new SourcePrefix(24, 64);

    /** Every address its own source: OpenSSH's default. */
    public static final SourcePrefix ADDRESS = new SourcePrefix(32, 128);

    public SourcePrefix {
        if (ipv4 < 0 || ipv4 > 32) {
            throw new IllegalArgumentException("an IPv4 source prefix is 0-32 bits, got " + ipv4);
        }
        if (ipv6 < 0 || ipv6 > 128) {
            throw new IllegalArgumentException("an IPv6 source prefix is 0-128 bits, got " + ipv6);
        }
    }

    /**
     * {@code IPV4:IPV6} ({@code 24:64}), or {@code IPV4} alone, which keeps the default for IPv6, as
     * OpenSSH reads {@code PerSourceNetBlockSize}.
     *
     * @throws IllegalArgumentException with a message fit for a user
     */
    public static SourcePrefix parse(String text) {
        String[] parts = text.trim().split(":", -1);
        if (parts.length <= 2) {
            try {
                int v4 = Integer.parseInt(parts[0].trim());
                int v6 = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : DEFAULT.ipv6;
                return new SourcePrefix(v4, v6);
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("source prefix '" + text.trim() + "' is not IPV4:IPV6 bits (e.g. 24:64, or 32:128 for single addresses)");
    }

    /** The block of addresses {@code address} is counted with. */
    public Cidr of(InetAddress address) {
        return new Cidr(address, address instanceof Inet4Address ? ipv4 : ipv6);
    }

    @Override
    public String toString() {
        return ipv4 + ":" + ipv6;
    }
}
