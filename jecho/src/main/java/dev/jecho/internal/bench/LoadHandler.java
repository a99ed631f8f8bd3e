package dev.jecho.internal.bench;

import dev.jecho.internal.protocol.handshake.RecordException;
import dev.jecho.internal.transport.PeerReset;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * What every load connection's handler does around its session: it starts once the connection is active
 * (once: Netty 4.2 reports a connect that completes at once, as on a Unix socket, a second time), waits for
 * the {@link SessionSetup} (TLS, the handshake) and then hands over to {@link #sessionReady}. A failed setup
 * ends the connection as one connect error ({@link #countSetupFailure}). Exceptions are sorted here: during
 * the setup the session's own future reports them; afterwards a session record whose tag is wrong is a
 * mismatch, the peer's reset a reset, anything else a closed connection (logged when it is not an I/O error).
 */
abstract class LoadHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(LoadHandler.class);

    final RunContext run;
    ChannelHandlerContext ctx;
    /** The session is set up: messages may flow. */
    boolean ready;
    /** The connection failed or was closed: nothing more is sent or counted on it. */
    boolean finished;
    private boolean active;

    LoadHandler(RunContext run) {
        this.run = run;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public final void channelActive(ChannelHandlerContext ctx) {
        if (active) {
            return;
        }
        active = true;
        run.session.ready(ctx.channel()).addListener(f -> {
            if (f.isSuccess()) {
                ready = !finished;
                if (ready) {
                    sessionReady();
                }
            } else {
                setupFailed(f.cause());
            }
        });
        ctx.fireChannelActive();
    }

    /** Messages may flow now. Runs on the channel's event loop. */
    abstract void sessionReady();

    /** Counts a failed setup (TLS or the handshake): a connect error, reported to whoever counts them. */
    abstract void countSetupFailure(Throwable cause);

    /**
     * Counts one error of its class (unless the run is over: a connection cut by the end of the run is no
     * error) and ends the connection, unless it has ended already.
     */
    void fail(ErrorClass kind, Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        if (!run.window.stopped()) {
            run.stats.error(kind);
            if (cause != null) {
                LOG.debug("{}: {} error: {}", ctx.channel(), kind.key(), cause.toString());
            }
        }
        ctx.close();
    }

    /** The connection has closed: unless it had failed or been closed here, the server closed it, an error. */
    final void countClosedByServer() {
        if (!finished) {
            finished = true;
            if (!run.window.stopped()) {
                run.stats.error(ErrorClass.CLOSED);
            }
        }
    }

    private void setupFailed(Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        LOG.debug("{}: session setup failed: {}", ctx.channel(), cause.toString());
        countSetupFailure(cause);
        ctx.close();
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ready) { // TLS or the handshake failed: the session's future reports why
            LOG.debug("{}: during session setup: {}", ctx.channel(), cause.toString());
            ctx.close();
        } else if (cause instanceof RecordException) { // not the bytes the server sent
            fail(ErrorClass.MISMATCH, cause);
        } else if (PeerReset.is(cause)) {
            fail(ErrorClass.RESET, cause);
        } else {
            if (!(cause instanceof IOException)) {
                LOG.warn("{}: unexpected error in the bench handler", ctx.channel(), cause);
            }
            fail(ErrorClass.CLOSED, cause);
        }
    }
}
