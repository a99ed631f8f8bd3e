/** Netty transports (epoll, io_uring, NIO) and endpoint addresses: what differs between socket kinds lives here. */
package dev.jecho.internal.transport;
