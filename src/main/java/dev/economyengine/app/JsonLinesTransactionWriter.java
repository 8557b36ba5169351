package dev.economyengine.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.wire.EventEncoder;
import java.io.IOException;
import java.io.Writer;

/**
 * JSON lines: one transaction object per line, in the query API's transaction shape plus the user:
 * {@code {"transactionId","userId","requestId","type","currency","amount","reason","createdAt","rulesVersion",
 * "entries":[{"account","currency","debit","credit"}]}}.
 */
final class JsonLinesTransactionWriter implements TransactionWriter {
    private static final JsonFactory JSON = JsonFactory.builder()
            // The writer belongs to the caller, who closes it.
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final Writer out;
    private final JsonGenerator json;

    JsonLinesTransactionWriter(Writer out) throws IOException {
        this.out = out;
        this.json = JSON.createGenerator(out);
        // Lines are ended here, not by Jackson's space between root values.
        json.setRootValueSeparator(null);
    }

    @Override
    public void write(Transaction transaction) throws IOException {
        EventEncoder.writeTransaction(json, transaction, true);
        // Into the caller's buffered writer, so that the newline follows the object.
        json.flush();
        out.write('\n');
    }

    @Override
    public void finish() throws IOException {
        json.close();
        out.flush();
    }
}
