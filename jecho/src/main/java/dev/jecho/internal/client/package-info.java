/**
 * The client: {@link dev.jecho.JechoClient} (the public API), its connections over TCP, UDP and Unix
 * sockets, and the interactive and pipe front ends the CLI uses.
 */
package dev.jecho.internal.client;
