package dev.jecho.internal.client;

import dev.jecho.ClientException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One client connection of some socket kind: send a message, get its reply. */
public interface Connection {

    /** Sends a message; the future completes with its reply or a {@link ClientException}. */
    CompletableFuture<byte[]> send(byte[] message);

    void close();

    /**
     * Completes when the connection is closed, by either side or by a failure. Connectionless sockets
     * (UDP) have nothing to close under them, so for them it never completes.
     */
    default CompletionStage<Void> closed() {
        return new CompletableFuture<>();
    }
}
