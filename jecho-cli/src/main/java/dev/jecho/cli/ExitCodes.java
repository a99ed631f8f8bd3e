package dev.jecho.cli;

/** What {@code jecho} exits with; printed at the end of {@code jecho --help}. */
final class ExitCodes {

    static final int OK = 0;
    /** Any failure not listed below: a listener that cannot open, a bad key file, an internal error. */
    static final int ERROR = 1;
    /** The command line is wrong. */
    static final int USAGE = 2;
    /** The server cannot be reached, or it closed the connection. */
    static final int UNREACHABLE = 3;
    /** A reply did not come in time, or a UDP message was lost after every retry. */
    static final int TIMEOUT = 4;
    /**
     * Authentication failed (either side's proof), or the protocol did not match: the server speaks what the
     * client was not told to (a key, TLS, JSON, the article's handshake; the message names the option), or
     * its reply is not an echo of the message.
     */
    static final int AUTH = 5;

    static final String HELP_FOOTER = "%nExit codes: 0 ok, 1 error, 2 usage, 3 server unreachable or closed,"
            + " 4 timeout or lost reply, 5 authentication failed or protocol mismatch.";

    private ExitCodes() {
    }
}
