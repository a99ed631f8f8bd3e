/** The command line: one class per verb, shared option mixins, converters, exit codes. Depends on the core, never the reverse. */
package dev.jecho.cli;
