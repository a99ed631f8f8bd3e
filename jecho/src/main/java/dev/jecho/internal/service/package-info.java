/**
 * The services ({@code echo}, {@code upper}, {@code discard}, {@code chargen}, {@link dev.jecho.Service#lines}
 * services) and the registry that names them; no channel or socket code here.
 */
package dev.jecho.internal.service;
