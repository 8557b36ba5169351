package dev.economyengine.app;

import dev.economyengine.ledger.Transaction;
import java.io.IOException;
import java.io.Writer;

/** Writes exported transactions in one format; {@link #finish} ends the output but does not close it. */
interface TransactionWriter {
    void write(Transaction transaction) throws IOException;

    void finish() throws IOException;

    static TransactionWriter of(String format, Writer out) throws IOException {
        return switch (format) {
            case "csv" -> new CsvTransactionWriter(out);
            case "jsonl" -> new JsonLinesTransactionWriter(out);
            default -> throw new UsageException("unknown format '" + format + "': use csv or jsonl");
        };
    }
}
