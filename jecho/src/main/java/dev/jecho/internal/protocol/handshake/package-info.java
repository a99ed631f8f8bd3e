/**
 * The jecho handshake (mutual HMAC-SHA256 proofs over both nonces, optional TLS channel binding), the
 * protected session records that follow it, and the article's legacy handshake. See docs/protocol.md.
 */
package dev.jecho.internal.protocol.handshake;
