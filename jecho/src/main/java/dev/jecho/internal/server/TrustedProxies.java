package dev.jecho.internal.server;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The networks whose connections may carry a PROXY protocol header: {@code --trusted-proxy CIDR}. */
public final class TrustedProxies {

    private final List<String> networks;
    private final List<IpSubnetFilterRule> rules;

    private TrustedProxies(List<String> networks, List<IpSubnetFilterRule> rules) {
        this.networks = networks;
        this.rules = rules;
    }

    /**
     * The networks as given ({@code 10.0.0.0/8}, {@code 192.0.2.7}), each parsed once, here.
     *
     * @throws IllegalArgumentException with a message fit for a user, for the first that is not a network
     */
    public static TrustedProxies of(List<String> cidrs) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String cidr : cidrs) {
            rules.add(parse(cidr));
        }
        return new TrustedProxies(List.copyOf(cidrs), List.copyOf(rules));
    }

    /** The networks as given. */
    public List<String> networks() {
        return networks;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether a connection from this socket address may send a PROXY header. */
    boolean trusts(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return false;
        }
        for (IpSubnetFilterRule rule : rules) {
            if (rule.matches(inet)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code 10.0.0.0/8}, {@code ::1/128}, or a bare address (a single host). Never a host name: trust is
     * not left to DNS.
     *
     * @throws IllegalArgumentException with a message fit for a user
     */
    static IpSubnetFilterRule parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + cidr + "' is not a network: use an IP address with a prefix length,"
                    + " e.g. 10.0.0.0/8 or fd00::/8");
        }
        int maxPrefix = bytes.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > maxPrefix) {
                throw new IllegalArgumentException("bad prefix length in '" + cidr + "': use 0-" + maxPrefix);
            }
        }
        try {
            return new IpSubnetFilterRule(InetAddress.getByAddress(bytes), prefix, IpFilterRuleType.ACCEPT);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not a network", e);
        }
    }
}
