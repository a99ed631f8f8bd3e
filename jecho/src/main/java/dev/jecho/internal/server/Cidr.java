package dev.jecho.internal.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * An address block, {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a block of one. Used by
 * {@code --limit-exempt}. IPv4 blocks also match IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}), which
 * is how a dual-stack listener can see IPv4 clients.
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length must be 0-" + bits + ", got " + prefixLength);
        }
        network = masked(network, prefixLength);
    }

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/BITS}; only literal addresses, never host names (a limit
     * must not depend on DNS).
     *
     * @throws IllegalArgumentException with a message fit for a user
     */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        if (addressText.startsWith("[") && addressText.endsWith("]")) {
            addressText = addressText.substring(1, addressText.length() - 1);
        }
        InetAddress address = literal(addressText, text);
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = t.substring(slash + 1);
            if (prefixText.isEmpty() || prefixText.length() > 3 || !prefixText.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + text + "' is not an address block: the part after / must be a number of bits");
            }
            prefix = Integer.parseInt(prefixText);
            if (prefix > bits) {
                throw new IllegalArgumentException("'" + text + "': an " + (bits == 32 ? "IPv4" : "IPv6")
                        + " block has at most /" + bits);
            }
        }
        return new Cidr(address, prefix);
    }

    private static InetAddress literal(String s, String original) {
        boolean v4 = !s.isEmpty() && s.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        boolean v6 = s.indexOf(':') >= 0 && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (v4) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                throw notAnAddress(original);
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || Integer.parseInt(parts[i]) > 255) {
                    throw notAnAddress(original);
                }
                b[i] = (byte) Integer.parseInt(parts[i]);
            }
            return byAddress(b);
        }
        if (v6) {
            try {
                return InetAddress.getByName(s); // a literal with a colon is never looked up in DNS
            } catch (UnknownHostException | SecurityException e) {
                throw notAnAddress(original);
            }
        }
        throw notAnAddress(original);
    }

    private static IllegalArgumentException notAnAddress(String text) {
        return new IllegalArgumentException("'" + text + "' is not an address or address block: use e.g. 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32");
    }

    private static InetAddress byAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only thrown for a wrong length
        }
    }

    private static InetAddress masked(InetAddress address, int prefix) {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xff00 >> keep);
        }
        return byAddress(b);
    }

    /** Whether the block holds this address. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length == 16 && n.length == 4 && isV4Mapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != n.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            int mask = (0xff00 >> keep) & 0xff;
            if ((a[i] & mask) != (n[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    @Override
    public String toString() {
        String host = network instanceof Inet6Address ? network.getHostAddress().toLowerCase(Locale.ROOT) : network.getHostAddress();
        int bits = network instanceof Inet4Address ? 32 : 128;
        return prefixLength == bits ? host : host + "/" + prefixLength;
    }
}
