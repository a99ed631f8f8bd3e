/** Authenticated UDP: the tagged datagram format (key id, timestamp, nonce, HMAC tag) and its replay window. */
package dev.jecho.internal.protocol.datagram;
