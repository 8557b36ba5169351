package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.messaging.Decoded;
import dev.economyengine.messaging.RequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API refuses every write's body the worker could not answer as a request record (it would go to the
 * dead-letter topic); whatever else it refuses it refuses for a named field; and what it publishes the
 * worker reads as the path user's request, so that its result is found under that user.
 */
class WriteBodyAgreementTest {
    private static final RequestDecoder WORKER = new RequestDecoder(Economy.coinsOnly());

    static Stream<byte[]> bodies() {
        return Stream.of(
                "{\"requestId\":\"r\",\"action\":\"daily_login\"}",
                "{\"requestId\":\"r\",\"amount\":5}",
                "\uFEFF{\"requestId\":\"r\",\"amount\":5}",
                "  \n{ \"requestId\" : \"r\" }  ",
                "{\"requestId\":\"r\",\"amount\":-5,\"currency\":\"gems\"}",
                "{\"requestId\":\"r\",\"amount\":1e400}",
                "{\"requestId\":\"r\",\"metadata\":\"x\"}",
                "{\"requestId\":\"r\",\"reason\":\"\\udc00\"}",
                "{\"requestId\":\"r\",\"metadata\":{\"a\":[\"\\ud800\"]}}",
                "{\"requestId\":\"r\",\"userId\":\"alice\"}",
                "{\"requestId\":\"" + "é".repeat(128) + "\"}",
                "{\"requestId\":\"" + "é".repeat(129) + "\"}",
                "{\"requestId\":\"\\ud800\"}",
                "{\"requestId\":\"\"}",
                "{\"requestId\":7}",
                "{\"requestId\":null}",
                "{}",
                "[]",
                "null",
                "",
                "{\"requestId\":\"a\",\"requestId\":\"a\"}",
                "{\"requestId\":\"r\"}]",
                "{\"requestId\":\"r\",}",
                "{'requestId':'r'}")
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void api_refusesABody_exactlyWhenTheWorkerCouldNotAnswerIt(byte[] body) {
        for (RequestType type : RequestType.values()) {
            WriteBody.Checked checked = WriteBody.check(type, "alice", body);
            Decoded asSent = WORKER.decode(type, body, 0L);

            String text = new String(body, StandardCharsets.UTF_8);
            if (asSent instanceof Decoded.Unreadable) {
                assertThat(checked).as("refused: %s", text).isInstanceOf(WriteBody.Checked.Invalid.class);
            }
            if (checked instanceof WriteBody.Checked.Invalid invalid && asSent instanceof Decoded.Readable) {
                assertThat(invalid.field()).as("the field refused in %s", text).isNotNull();
            }
            if (checked instanceof WriteBody.Checked.Valid valid) {
                Decoded published = WORKER.decode(type, valid.write().json(), 0L);
                assertThat(published).isInstanceOf(Decoded.Readable.class);
                Request request = ((Decoded.Readable) published).request();
                assertThat(request.userId()).isEqualTo("alice");
                assertThat(request.requestId()).isEqualTo(valid.write().requestId());
                assertThat(request.type()).isEqualTo(type);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("invalidUtf8")
    void body_ofMalformedUtf8_isRefusedAsTheWorkerRefusesIt(byte[] body) {
        assertThat(WriteBody.check(RequestType.SPEND, "alice", body)).isInstanceOf(WriteBody.Checked.Invalid.class);
        assertThat(WORKER.decode(RequestType.SPEND, body, 0L)).isInstanceOf(Decoded.Unreadable.class);
    }

    static Stream<byte[]> invalidUtf8() {
        byte[] prefix = "{\"requestId\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
        return Stream.of(new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xff}, new byte[] {(byte) 0xed,
            (byte) 0xa0, (byte) 0x80})
                .map(bad -> {
                    byte[] body = new byte[prefix.length + bad.length + suffix.length];
                    System.arraycopy(prefix, 0, body, 0, prefix.length);
                    System.arraycopy(bad, 0, body, prefix.length, bad.length);
                    System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
                    return body;
                });
    }
}
