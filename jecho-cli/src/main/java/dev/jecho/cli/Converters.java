package dev.jecho.cli;

import dev.jecho.Endpoint;
import dev.jecho.Service;
import dev.jecho.Transport;
import dev.jecho.internal.server.DurationText;
import dev.jecho.internal.server.SizeText;
import picocli.CommandLine;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

    /** A registered service, by name; the error names every registered one. */
    static final class ServiceName implements CommandLine.ITypeConverter<Service> {
        @Override
        public Service convert(String value) {
            return Service.named(value);
        }
    }

    /** The names of the registered services, read when help or completion needs them (not at start). */
    static class ServiceNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>(extra());
            Service.registered().forEach(s -> names.add(s.name()));
            return names.iterator();
        }

        /** Values the option takes before the services' names. */
        List<String> extra() {
            return List.of();
        }
    }

    static final class TransportName implements CommandLine.ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            return Transport.parse(value);
        }
    }

    static final class LegacyDigestName implements CommandLine.ITypeConverter<dev.jecho.LegacyDigest> {
        @Override
        public dev.jecho.LegacyDigest convert(String value) {
            return dev.jecho.LegacyDigest.parse(value);
        }
    }

    /**
     * A value an option cannot take, said as what it must be ({@code "must be 0 or more, got -1"}):
     * {@link Main} puts the option's name in front, so the user reads {@code --retries must be 0 or more, got -1}.
     */
    static final class BadValue extends IllegalArgumentException {
        BadValue(String predicate) {
            super(predicate);
        }
    }

    /**
     * Marks the converters of numbers, durations and sizes: each rejects a value out of its range when
     * the command line is parsed, so a bad number never reaches the code that runs the command.
     */
    interface Numeric {
    }

    /** A whole number, at least {@code min}; at most {@link Integer#MAX_VALUE}. */
    abstract static class Count implements CommandLine.ITypeConverter<Integer>, Numeric {
        private static final Pattern FORM = Pattern.compile("[+-]?\\d+");
        private final int min;

        Count(int min) {
            this.min = min;
        }

        @Override
        public Integer convert(String value) {
            String v = value.trim();
            if (!FORM.matcher(v).matches()) {
                throw new BadValue("takes a whole number, got '" + value + "'");
            }
            return inRange(new BigInteger(v), min, Integer.MAX_VALUE, "").intValue();
        }
    }

    /** A count where 0 has a meaning the option's description gives (no limit, pick for me, none). */
    static final class NonNegativeCount extends Count {
        NonNegativeCount() {
            super(0);
        }
    }

    /** A count of at least 1. */
    static final class PositiveCount extends Count {
        PositiveCount() {
            super(1);
        }
    }

    /** {@code value} if within {@code [min, max]}, else the sentence that says so ({@code unit} follows each number). */
    private static BigInteger inRange(BigInteger value, long min, long max, String unit) {
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            throw new BadValue("must be " + min + unit + " or more, got " + value + unit);
        }
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new BadValue("must be at most " + max + unit + ", got " + value + unit);
        }
        return value;
    }

    /** A random seed: a whole number from 0 to {@link Long#MAX_VALUE}, as the server prints the one it draws. */
    static final class Seed implements CommandLine.ITypeConverter<Long>, Numeric {
        private static final Pattern FORM = Pattern.compile("[+-]?\\d+");

        @Override
        public Long convert(String value) {
            String v = value.trim();
            if (!FORM.matcher(v).matches()) {
                throw new BadValue("takes a whole number, got '" + value + "'");
            }
            return inRange(new BigInteger(v), 0, Long.MAX_VALUE, "").longValue();
        }
    }

    /** Requests per second: 0 or a positive number, at most one a nanosecond (the schedule's resolution). */
    static final class Rate implements CommandLine.ITypeConverter<Double>, Numeric {
        private static final double MAX = 1e9;

        @Override
        public Double convert(String value) {
            double rate;
            try {
                rate = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new BadValue("takes a number of requests per second, got '" + value + "'");
            }
            if (!Double.isFinite(rate) || rate < 0) {
                throw new BadValue("must be 0 or a positive number, got '" + value + "'");
            }
            if (rate > MAX) {
                throw new BadValue("must be at most " + (long) MAX + " requests per second, got " + value.trim());
            }
            return rate;
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}; a bare number is seconds. 0 is allowed. See {@link DurationText}. */
    static class DurationValue implements CommandLine.ITypeConverter<Duration>, Numeric {

        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        static Duration parse(String value) {
            try {
                return DurationText.parse(value);
            } catch (IllegalArgumentException e) {
                throw new BadValue(e.getMessage());
            }
        }

        /** The short form a person would type: {@code 500ms}, {@code 10s}, {@code 5m}. */
        static String format(Duration d) {
            return DurationText.format(d);
        }
    }

    /** A duration longer than zero: a timeout or a run time, where 0 means nothing. */
    static final class PositiveDuration extends DurationValue {
        @Override
        public Duration convert(String value) {
            Duration d = parse(value);
            if (d.isZero()) {
                throw new BadValue("must be longer than 0, got " + value.trim());
            }
            return d;
        }
    }

    /** A size in bytes: {@code 65536}, {@code 64k}, {@code 64KiB}, {@code 1m}, {@code 1MiB}. 0 is allowed. */
    static class ByteSize implements CommandLine.ITypeConverter<Integer>, Numeric {

        @Override
        public Integer convert(String value) {
            return parse(value);
        }

        static int parse(String value) {
            try {
                return SizeText.parse(value);
            } catch (IllegalArgumentException e) {
                throw new BadValue(e.getMessage());
            }
        }
    }

    /** A size of at least one byte. */
    static final class PositiveByteSize extends ByteSize {
        @Override
        public Integer convert(String value) {
            int bytes = parse(value);
            if (bytes == 0) {
                throw new BadValue("must be 1 byte or more, got " + value.trim());
            }
            return bytes;
        }
    }

    /** {@code BYTES} or {@code MIN-MAX}: a message size, or a range each message draws its size from. */
    record SizeRange(int min, int max) {
        @Override
        public String toString() {
            return min == max ? Integer.toString(min) : min + "-" + max;
        }
    }

    static final class SizeRangeValue implements CommandLine.ITypeConverter<SizeRange>, Numeric {
        private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(?:-\\s*(\\d+))?");
        private static final Count BYTES = new PositiveCount();

        @Override
        public SizeRange convert(String value) {
            Matcher m = FORM.matcher(value.trim());
            if (!m.matches()) {
                throw new BadValue("takes BYTES or MIN-MAX (e.g. 64 or 16-1400), got '" + value + "'");
            }
            int min = BYTES.convert(m.group(1));
            int max = m.group(2) == null ? min : BYTES.convert(m.group(2));
            if (min > max) {
                throw new BadValue("takes MIN-MAX with MIN at most MAX, got " + value.trim());
            }
            return new SizeRange(min, max);
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
