package dev.jecho.cli;

import org.jline.reader.MaskingCallback;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * JLine's line reader, minus the redraw after every key while more keys are already waiting. JLine redraws
 * the whole edited line (split into screen rows) after each character it inserts, so a pasted line of n
 * characters costs n redraws of up to n characters: 30,000 took 12 s, 100,000 over two minutes. Like GNU
 * readline, this reader redraws only once the input it has is used up, so a paste costs one redraw.
 * (Terminals with bracketed paste send a paste in one piece, but many pastes arrive as typed characters.)
 */
final class PasteSafeLineReader extends LineReaderImpl {

    /**
     * How long to look for the next key before redrawing, at least: short enough that typing never feels
     * it. A line that takes longer to redraw waits as long as its last redraw took (up to the maximum),
     * so that a paste the system delivers in bursts spends no more time redrawing than reading.
     */
    private static final long MIN_PEEK_MILLIS = 1;
    private static final long MAX_PEEK_MILLIS = 100;

    private final boolean dumb;
    private volatile Thread reading;
    private boolean promptDrawn;
    private long lastRedrawMillis;

    PasteSafeLineReader(Terminal terminal, String appName) {
        super(terminal, appName, new HashMap<>());
        this.dumb = Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
    }

    @Override
    public String readLine(String prompt, String rightPrompt, MaskingCallback maskingCallback, String buffer) {
        reading = Thread.currentThread();
        promptDrawn = false;
        try {
            return super.readLine(prompt, rightPrompt, maskingCallback, buffer);
        } finally {
            reading = null;
        }
    }

    /**
     * Skips the redraw after a key when the next key is already there. Only the reading thread's own
     * redraws are skipped: a redraw from elsewhere (a resize, {@code printAbove}) must not read the
     * terminal's input under the reader, and the last redraw of a line (flush false) always happens. A
     * dumb terminal is never redrawn per key, and draws its prompt only once: it is left alone. Nor is the
     * first draw of a line's prompt: no key came before it, and that first look for one (which starts
     * JLine's input thread) held up the REPL's first prompt by some 100 ms.
     */
    @Override
    protected void redisplay(boolean flush) {
        if (flush && !dumb && Thread.currentThread() == reading) {
            if (promptDrawn && peekCharacter(Math.max(MIN_PEEK_MILLIS, Math.min(lastRedrawMillis, MAX_PEEK_MILLIS))) >= 0) {
                return;
            }
            long start = System.nanoTime();
            super.redisplay(flush);
            promptDrawn = true;
            lastRedrawMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return;
        }
        super.redisplay(flush);
    }
}
