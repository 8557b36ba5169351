package dev.economyengine.app;

import dev.economyengine.ledger.Transaction;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Writes exported transactions in one format; {@link #finish} ends the output but does not close it. */
interface TransactionWriter {
    /** ISO-8601 UTC with milliseconds, as in the result and balance-changed events. */
    DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    void write(Transaction transaction) throws IOException;

    void finish() throws IOException;

    static TransactionWriter of(String format, Writer out) throws IOException {
        return switch (format) {
            case "csv" -> new CsvTransactionWriter(out);
            case "jsonl" -> new JsonLinesTransactionWriter(out);
            default -> throw new UsageException("unknown format '" + format + "': use csv or jsonl");
        };
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }
}
