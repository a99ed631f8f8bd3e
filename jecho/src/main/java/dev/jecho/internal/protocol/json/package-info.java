/**
 * JSON messages: the compact re-serializer, the error objects, the framers (JSON Lines, and values back to
 * back) and the budget that bounds what all connections' framers together hold in unfinished messages.
 */
package dev.jecho.internal.protocol.json;
