/** Shared secrets: the key file format, its permission check, key rotation by id, and new keys. */
package dev.jecho.internal.keys;
