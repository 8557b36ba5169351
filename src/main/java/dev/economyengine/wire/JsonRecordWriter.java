package dev.economyengine.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes small JSON objects, one record value each, through one Jackson generator per thread that is
 * kept for the next record. The worker writes three records per request; making a generator for each
 * (its I/O context, its buffers taken from and returned to the recycler) cost about as much as
 * writing the record. Not thread-safe: use {@link #forThisThread()}.
 */
public final class JsonRecordWriter {
    /** No separator between root values: each record's bytes are taken before the next is written. */
    private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
    private static final ThreadLocal<JsonRecordWriter> PER_THREAD = ThreadLocal.withInitial(JsonRecordWriter::new);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    private JsonGenerator json;

    private JsonRecordWriter() {}

    public static JsonRecordWriter forThisThread() {
        return PER_THREAD.get();
    }

    /** The fields of one JSON object. */
    @FunctionalInterface
    public interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    /** The UTF-8 bytes of one JSON object with the given fields. */
    public byte[] write(Fields fields) {
        try {
            if (json == null) {
                json = JSON.createGenerator(bytes);
            }
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
            json.flush();
            return bytes.toByteArray();
        } catch (IOException | RuntimeException e) {
            // The generator may be half-way through an object: start the next record on a fresh one.
            json = null;
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot encode a JSON record", io);
            }
            throw (RuntimeException) e;
        } finally {
            bytes.reset();
        }
    }
}
