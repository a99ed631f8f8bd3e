/** TLS for stream listeners and clients: contexts, a self-signed certificate made once and kept between starts, fingerprint pinning. */
package dev.jecho.internal.tls;
