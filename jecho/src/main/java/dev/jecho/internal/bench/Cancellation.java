package dev.jecho.internal.bench;

/** Lets Ctrl-C end a run early: the run so far is reported, the rest of a comparison is skipped. */
public final class Cancellation {

    private Runnable action;
    private boolean cancelled;

    synchronized void onCancel(Runnable action) {
        this.action = action;
        if (cancelled && action != null) {
            action.run();
        }
    }

    public synchronized void cancel() {
        cancelled = true;
        if (action != null) {
            action.run();
        }
    }

    public synchronized boolean cancelled() {
        return cancelled;
    }
}
