package dev.economyengine.messaging;

import dev.economyengine.ledger.Request;

/** A request record after decoding: a request for the ledger, or the reason it cannot be read at all. */
public sealed interface Decoded permits Decoded.Readable, Decoded.Unreadable {

    record Readable(Request request) implements Decoded {}

    /** No result can be addressed for this record; it goes to the dead-letter topic with the reason. */
    record Unreadable(String reason) implements Decoded {}
}
