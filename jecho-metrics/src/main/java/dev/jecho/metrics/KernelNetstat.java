package dev.jecho.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's TCP counters from {@code /proc/net/netstat} ({@code TcpExt}), the ones that show a full
 * accept queue or a SYN flood: what {@code netstat -s} prints as "times the listen queue of a socket
 * overflowed" and "SYN cookies sent". They count for the whole network namespace, not just jecho.
 */
final class KernelNetstat {

    static final Path DEFAULT = Path.of("/proc/net/netstat");

    /** TcpExt field name to the metric name suffix and help text. */
    static final List<String[]> FIELDS = List.of(
            new String[] {"ListenOverflows", "listen_overflows", "Times a listen (accept) queue overflowed: a connection was dropped because the backlog was full"},
            new String[] {"ListenDrops", "listen_drops", "SYNs to listening sockets dropped, for any reason (includes overflows)"},
            new String[] {"SyncookiesSent", "syncookies_sent", "SYN cookies sent because a SYN queue was full (SYN flood protection)"},
            new String[] {"SyncookiesRecv", "syncookies_received", "Valid SYN cookies received back"},
            new String[] {"SyncookiesFailed", "syncookies_failed", "Invalid SYN cookies received"});

    private KernelNetstat() {
    }

    /** The TcpExt counters by field name; empty where the file does not exist (not Linux) or cannot be read. */
    static Map<String, Long> read(Path file) {
        Map<String, Long> values = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            return values;
        }
        for (int i = 0; i + 1 < lines.size(); i++) {
            String[] names = lines.get(i).trim().split("\\s+");
            String[] numbers = lines.get(i + 1).trim().split("\\s+");
            if (names.length > 1 && names[0].equals("TcpExt:") && numbers[0].equals("TcpExt:") && names.length == numbers.length) {
                for (int k = 1; k < names.length; k++) {
                    try {
                        values.put(names[k], Long.parseLong(numbers[k]));
                    } catch (NumberFormatException ignored) {
                        // a field we do not read anyway
                    }
                }
                break;
            }
        }
        return values;
    }
}
