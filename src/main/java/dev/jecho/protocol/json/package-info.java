/** JSON messages: the compact re-serializer, the error objects, and the framer for back-to-back values. */
package dev.jecho.protocol.json;
