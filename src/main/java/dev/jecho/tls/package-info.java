/** TLS for stream listeners and clients: contexts, a self-signed certificate made at run time, fingerprint pinning. */
package dev.jecho.tls;
