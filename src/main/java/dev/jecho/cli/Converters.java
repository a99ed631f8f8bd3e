package dev.jecho.cli;

import dev.jecho.server.Cidr;
import dev.jecho.server.MaxStartups;
import dev.jecho.server.PenaltyPolicy;
import dev.jecho.service.Service;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.Transport;
import picocli.CommandLine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Option value converters: each turns bad input into one sentence that says what is expected. */
final class Converters {

    private Converters() {
    }

    static final class TcpListener implements CommandLine.ITypeConverter<Endpoint> {
        @Override
        public Endpoint convert(String value) {
            return Endpoint.parseHostPort(Endpoint.Kind.TCP, value);
        }
    }

    static final class UdpListener implements CommandLine.ITypeConverter<Endpoint> {
        @Override
        public Endpoint convert(String value) {
            return Endpoint.parseHostPort(Endpoint.Kind.UDP, value);
        }
    }

    static final class UnixListener implements CommandLine.ITypeConverter<Endpoint> {
        @Override
        public Endpoint convert(String value) {
            return Endpoint.parseHostPort(Endpoint.Kind.UNIX, value);
        }
    }

    static final class Url implements CommandLine.ITypeConverter<Endpoint> {
        @Override
        public Endpoint convert(String value) {
            return Endpoint.parse(value);
        }
    }

    static final class ServiceName implements CommandLine.ITypeConverter<Service> {
        @Override
        public Service convert(String value) {
            return Service.parse(value);
        }
    }

    static final class TransportName implements CommandLine.ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            return Transport.parse(value);
        }
    }

    static final class CidrValue implements CommandLine.ITypeConverter<Cidr> {
        @Override
        public Cidr convert(String value) {
            return Cidr.parse(value);
        }
    }

    static final class SourcePrefixValue implements CommandLine.ITypeConverter<dev.jecho.server.SourcePrefix> {
        @Override
        public dev.jecho.server.SourcePrefix convert(String value) {
            return dev.jecho.server.SourcePrefix.parse(value);
        }
    }

    static final class MaxStartupsValue implements CommandLine.ITypeConverter<MaxStartups> {
        @Override
        public MaxStartups convert(String value) {
            return MaxStartups.parse(value);
        }
    }

    /**
     * {@code off}, or comma-separated {@code KEY:VALUE} pairs that change the defaults: {@code authfail},
     * {@code timeout}, {@code refused}, {@code min}, {@code max} (durations) and {@code max-sources} (a count).
     */
    static final class PenaltiesValue implements CommandLine.ITypeConverter<PenaltyPolicy> {
        @Override
        public PenaltyPolicy convert(String value) {
            return parse(value);
        }

        static PenaltyPolicy parse(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.equals("off") || v.equals("no") || v.equals("none")) {
                return PenaltyPolicy.OFF;
            }
            PenaltyPolicy p = PenaltyPolicy.DEFAULT;
            for (String part : v.split(",", -1)) {
                int colon = part.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("'" + part.trim() + "' in --penalties is not KEY:VALUE"
                            + " (keys: authfail, timeout, refused, noauth, min, max, max-sources; or 'off')");
                }
                String key = part.substring(0, colon).trim();
                String text = part.substring(colon + 1).trim();
                p = switch (key) {
                    case "authfail" -> new PenaltyPolicy(DurationValue.parse(text), p.timeout(), p.refused(), p.noAuth(), p.min(), p.max(), p.maxSources());
                    case "timeout" -> new PenaltyPolicy(p.authFail(), DurationValue.parse(text), p.refused(), p.noAuth(), p.min(), p.max(), p.maxSources());
                    case "refused" -> new PenaltyPolicy(p.authFail(), p.timeout(), DurationValue.parse(text), p.noAuth(), p.min(), p.max(), p.maxSources());
                    case "noauth" -> new PenaltyPolicy(p.authFail(), p.timeout(), p.refused(), DurationValue.parse(text), p.min(), p.max(), p.maxSources());
                    case "min" -> new PenaltyPolicy(p.authFail(), p.timeout(), p.refused(), p.noAuth(), DurationValue.parse(text), p.max(), p.maxSources());
                    case "max" -> new PenaltyPolicy(p.authFail(), p.timeout(), p.refused(), p.noAuth(), p.min(), DurationValue.parse(text), p.maxSources());
                    case "max-sources" -> new PenaltyPolicy(p.authFail(), p.timeout(), p.refused(), p.noAuth(), p.min(), p.max(), count(text));
                    default -> throw new IllegalArgumentException("unknown key '" + key + "' in --penalties"
                            + " (keys: authfail, timeout, refused, noauth, min, max, max-sources; or 'off')");
                };
            }
            return p;
        }

        private static int count(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("max-sources in --penalties must be a number, got '" + text + "'");
            }
        }
    }

    static final class LegacyDigestName implements CommandLine.ITypeConverter<dev.jecho.protocol.handshake.LegacyDigest> {
        @Override
        public dev.jecho.protocol.handshake.LegacyDigest convert(String value) {
            return dev.jecho.protocol.handshake.LegacyDigest.parse(value);
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
    static final class DurationValue implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        static Duration parse(String value) {
            Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + value + "' is not a duration: use e.g. 500ms, 10s, 5m or 1h");
            }
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> amount;
                case "m" -> amount * 60_000;
                case "h" -> amount * 3_600_000;
                default -> amount * 1000;
            };
            return Duration.ofNanos(Math.round(millis * 1_000_000));
        }

        /** The short form a person would type: {@code 500ms}, {@code 10s}, {@code 5m}. */
        static String format(Duration d) {
            long ms = d.toMillis();
            if (ms != 0 && ms % 3_600_000 == 0) {
                return ms / 3_600_000 + "h";
            }
            if (ms != 0 && ms % 60_000 == 0) {
                return ms / 60_000 + "m";
            }
            if (ms % 1000 == 0) {
                return ms / 1000 + "s";
            }
            return ms + "ms";
        }
    }

    /** A size in bytes: {@code 65536}, {@code 64k}, {@code 64KiB}, {@code 1m}, {@code 1MiB}. */
    static final class ByteSize implements CommandLine.ITypeConverter<Integer> {
        private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([kKmM]i?[bB]?|[bB])?");

        @Override
        public Integer convert(String value) {
            return parse(value);
        }

        static int parse(String value) {
            Matcher m = FORM.matcher(value.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + value + "' is not a size: use e.g. 65536, 64k or 4m");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            long bytes = unit.startsWith("k") ? n * 1024 : unit.startsWith("m") ? n * 1024 * 1024 : n;
            if (bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'" + value + "' is too large");
            }
            return (int) bytes;
        }
    }

    /** A local address to send from: an IP address ({@code 127.0.0.2}, {@code ::1}, {@code [::1]}) or a name. */
    static final class LocalAddress implements CommandLine.ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            String v = value.trim();
            if (v.startsWith("[") && v.endsWith("]")) {
                v = v.substring(1, v.length() - 1);
            }
            if (v.isEmpty()) {
                throw new IllegalArgumentException("--bind needs an address, e.g. 127.0.0.2");
            }
            try {
                return InetAddress.getByName(v);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown host '" + value + "' for --bind (use an IP address of this machine)");
            }
        }
    }

    /** {@code HOST:PORT} for the metrics HTTP port. */
    static final class MetricsAddress implements CommandLine.ITypeConverter<Endpoint> {
        @Override
        public Endpoint convert(String value) {
            String v = value.trim();
            if (v.startsWith("http://")) {
                v = v.substring("http://".length());
            }
            return Endpoint.parseHostPort(Endpoint.Kind.TCP, v);
        }
    }
}
