/**
 * jecho's implementation: nothing here is API, and any of it may change in any release. Only jecho's own
 * packages may use it (ArchitectureTest). {@link dev.jecho.internal.ApiDoor} is how the implementation reaches
 * what an API object keeps to itself.
 */
package dev.jecho.internal;
