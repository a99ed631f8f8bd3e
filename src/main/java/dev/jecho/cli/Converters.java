package dev.jecho.cli;

import dev.jecho.service.Service;
import dev.jecho.transport.Endpoint;
import dev.jecho.transport.Transport;
import picocli.CommandLine;

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

    static final class LegacyDigestName implements CommandLine.ITypeConverter<dev.jecho.protocol.handshake.LegacyDigest> {
        @Override
        public dev.jecho.protocol.handshake.LegacyDigest convert(String value) {
            return dev.jecho.protocol.handshake.LegacyDigest.parse(value);
        }
    }

    /** A size in bytes: {@code 1048576}, {@code 64k}, {@code 64KiB}, {@code 1m}, {@code 1MiB}. */
    static final class Size implements CommandLine.ITypeConverter<Integer> {
        private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(k|kib|kb|m|mib|mb)?");

        @Override
        public Integer convert(String value) {
            Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + value + "' is not a size: use e.g. 65536, 64KiB or 1MiB");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "" : m.group(2);
            long bytes = unit.startsWith("k") ? n * 1024 : unit.startsWith("m") ? n * 1024 * 1024 : n;
            if (bytes > Integer.MAX_VALUE - 1024) {
                throw new IllegalArgumentException("'" + value + "' is too large: at most 2047MiB");
            }
            return (int) bytes;
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
    }
}
