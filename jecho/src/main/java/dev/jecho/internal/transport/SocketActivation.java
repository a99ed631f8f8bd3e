package dev.jecho.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * systemd's socket activation protocol (sd_listen_fds(3)): a supervisor binds the listening sockets and
 * starts the server with them open as descriptors 3, 4, ... and says so in the environment: {@code LISTEN_PID}
 * (the process they are meant for: a child that inherits the environment must not take them too),
 * {@code LISTEN_FDS} (how many) and {@code LISTEN_FDNAMES} (their names, colon-separated, optional).
 */
public final class SocketActivation {

    /** {@code SD_LISTEN_FDS_START}: the first descriptor handed over. */
    static final int FIRST_FD = 3;

    private SocketActivation() {
    }

    /** A descriptor handed over and its name (null when none was given). */
    public record Handed(int fd, String name) {
    }

    /** The descriptors handed to this process, none when it was not socket-activated. */
    public static List<Handed> handedToThisProcess() {
        return handed(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * The descriptors {@code environment} hands to process {@code pid}: none when {@code LISTEN_PID} or
     * {@code LISTEN_FDS} is missing, or names another process.
     *
     * @throws IllegalArgumentException when the variables are present for this process but malformed
     */
    static List<Handed> handed(Map<String, String> environment, long pid) {
        String listenPid = environment.get("LISTEN_PID");
        String listenFds = environment.get("LISTEN_FDS");
        if (listenPid == null || listenFds == null) {
            return List.of();
        }
        long forPid;
        try {
            forPid = Long.parseLong(listenPid.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LISTEN_PID='" + listenPid + "' is not a process id");
        }
        if (forPid != pid) {
            return List.of(); // meant for another process (our parent's, inherited by mistake)
        }
        int count;
        try {
            count = Integer.parseInt(listenFds.trim());
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0 || count > 1024) {
            throw new IllegalArgumentException("LISTEN_FDS='" + listenFds + "' is not a count of descriptors");
        }
        String names = environment.get("LISTEN_FDNAMES");
        String[] name = names == null || names.isEmpty() ? new String[0] : names.split(":", -1);
        List<Handed> handed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // systemd names an unnamed socket "unknown"; a name list of another length is ignored, as sd_listen_fds_with_names does
            String n = name.length == count && !name[i].isEmpty() && !name[i].equals("unknown") ? name[i] : null;
            handed.add(new Handed(FIRST_FD + i, n));
        }
        return handed;
    }
}
