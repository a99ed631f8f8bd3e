/** Wire formats and the handler layout of jecho's pipelines; no sockets here. */
package dev.jecho.internal.protocol;
