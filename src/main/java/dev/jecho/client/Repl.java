package dev.jecho.client;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The article's interactive client: prompt {@code >>> }, line editing and history, empty input skipped
 * (on UDP an empty datagram is a real message and is sent), {@code exit}, Ctrl-D or Ctrl-C quits with
 * "client close".
 */
public final class Repl {

    public static final String PROMPT = ">>> ";

    private final JechoClient client;
    private final Terminal terminal;
    private final Path historyFile;

    /**
     * @param historyFile where line history is kept between sessions, or null for none
     */
    public Repl(JechoClient client, Terminal terminal, Path historyFile) {
        this.client = client;
        this.terminal = terminal;
        this.historyFile = historyFile;
    }

    /**
     * Runs until the user quits.
     *
     * @throws ClientException when the connection fails (a lost UDP datagram is reported and the loop goes on)
     */
    public void run() throws ClientException {
        LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("jecho");
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();
        PrintWriter out = terminal.writer();
        boolean sendEmpty = client.endpoint().kind() == dev.jecho.transport.Endpoint.Kind.UDP;
        try {
            while (true) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (EndOfFileException | UserInterruptException quit) {
                    break;
                }
                if (line.equals("exit")) {
                    break;
                }
                if (line.isEmpty() && !sendEmpty) {
                    continue;
                }
                try {
                    byte[] reply = JechoClient.await(client.sendText(line));
                    out.println(new String(reply, StandardCharsets.UTF_8));
                } catch (ClientException e) {
                    if (e.reason() != ClientException.Reason.LOST) {
                        throw e;
                    }
                    out.println("(" + e.getMessage() + ")");
                }
                out.flush();
            }
        } finally {
            out.println("client close");
            out.flush();
        }
    }
}
