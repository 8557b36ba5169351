package dev.economyengine.app;

import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.wire.EventEncoder;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * CSV per RFC 4180: a header row, one row per entry, CRLF line ends, and a field quoted (its quotes
 * doubled) when it holds a comma, a quote, CR or LF. A missing reason is an empty field.
 */
final class CsvTransactionWriter implements TransactionWriter {
    static final List<String> HEADER = List.of("transactionId", "userId", "requestId", "type", "currency", "amount",
            "reason", "createdAt", "account", "debit", "credit");
    private static final String CRLF = "\r\n";

    private final Writer out;

    CsvTransactionWriter(Writer out) throws IOException {
        this.out = out;
        row(HEADER);
    }

    @Override
    public void write(Transaction transaction) throws IOException {
        List<String> common = List.of(transaction.transactionId(), transaction.userId(), transaction.requestId(),
                transaction.type().name(), transaction.currency(), Long.toString(transaction.amount()),
                transaction.reason() == null ? "" : transaction.reason(),
                EventEncoder.timestamp(transaction.createdAt()));
        if (transaction.entries().isEmpty()) {
            // Only a damaged shard has such a transaction; one row keeps it visible.
            row(concat(common, List.of("", "", "")));
        }
        for (Entry entry : transaction.entries()) {
            row(concat(common, List.of(entry.account(), Long.toString(entry.debit()), Long.toString(entry.credit()))));
        }
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }

    private void row(List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(fields.get(i)));
        }
        out.write(CRLF);
    }

    static String quote(String field) {
        boolean needsQuotes = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\r') >= 0
                || field.indexOf('\n') >= 0;
        return needsQuotes ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
