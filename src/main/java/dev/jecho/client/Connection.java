package dev.jecho.client;

import java.util.concurrent.CompletableFuture;

/** One client connection of some socket kind: send a message, get its reply. */
interface Connection {

    /** Sends a message; the future completes with its reply or a {@link ClientException}. */
    CompletableFuture<byte[]> send(byte[] message);

    void close();
}
