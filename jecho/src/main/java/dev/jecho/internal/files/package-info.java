/**
 * The files jecho reads and writes for itself: why an operation on one failed, in plain words, and files
 * only their owner may read (key files, the TLS state): created so from the start, replaced atomically,
 * refused when someone else could change them.
 */
package dev.jecho.internal.files;
