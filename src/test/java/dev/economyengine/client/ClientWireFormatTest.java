package dev.economyengine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import dev.economyengine.messaging.Decoded;
import dev.economyengine.messaging.RequestDecoder;
import dev.economyengine.testing.TestEconomy;
import dev.economyengine.wire.EventEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client writes requests exactly as the worker reads them, and reads the worker's events field for
 * field: checked against the worker's own decoder and encoder, not against a copy of the format.
 */
class ClientWireFormatTest {
    private static final RequestDecoder DECODER = new RequestDecoder(TestEconomy.withoutLimits());
    private static final EventEncoder ENCODER = new EventEncoder();
    private static final Instant AT = Instant.parse("2026-11-24T11:23:55.869Z");

    @Test
    void earn_isWrittenInTheWireFormat_andReadByTheWorkerAsTheSameEarn() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("matchId", "m-981");
        metadata.put("streak", 3);
        metadata.put("clan", null);
        EarnRequest request = new EarnRequest("login-1", "alice", "daily_login", "login streak", metadata);

        byte[] json = RequestJson.earn(request);

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"requestId\":\"login-1\",\"userId\":\"alice\","
                + "\"action\":\"daily_login\",\"reason\":\"login streak\","
                + "\"metadata\":{\"matchId\":\"m-981\",\"streak\":3,\"clan\":null}}");
        Request.Earn earn = (Request.Earn) readable(DECODER.decode(RequestType.EARN, json));
        assertThat(earn.requestId()).isEqualTo("login-1");
        assertThat(earn.userId()).isEqualTo("alice");
        assertThat(earn.action()).isEqualTo("daily_login");
        assertThat(earn.reason()).isEqualTo("login streak");
        assertThat(earn.metadataJson()).isEqualTo("{\"matchId\":\"m-981\",\"streak\":3,\"clan\":null}");
    }

    @Test
    void spend_isWrittenInTheWireFormat_andReadByTheWorkerAsTheSameSpend() {
        SpendRequest request = new SpendRequest("order-5532", "alice", 5, "gems", "sku:skin", null);

        byte[] json = RequestJson.spend(request);

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"requestId\":\"order-5532\","
                + "\"userId\":\"alice\",\"amount\":5,\"currency\":\"gems\",\"reason\":\"sku:skin\"}");
        Request.Spend spend = (Request.Spend) readable(DECODER.decode(RequestType.SPEND, json));
        assertThat(spend.currency()).isEqualTo("gems");
        assertThat(spend.amount()).isEqualTo(5);
        assertThat(spend.reason()).isEqualTo("sku:skin");
    }

    @Test
    void spend_withoutACurrency_leavesItOut_andTheWorkerTakesTheDefault() {
        byte[] json = RequestJson.spend(SpendRequest.of("bob", 30, null));

        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("currency", "reason", "metadata");
        Request.Spend spend = (Request.Spend) readable(DECODER.decode(RequestType.SPEND, json));
        assertThat(spend.currency()).isEqualTo("coins");
        assertThat(spend.requestId()).as("a generated UUID").hasSize(36);
    }

    @Test
    void result_readFromTheWorkersEvent_hasEveryField_andWritesTheSameJsonBack() throws Exception {
        Request.Spend spend = new Request.Spend("order-5531", "alice", "coins", 120, "sku:sword", "{\"a\":[1,2]}");
        dev.economyengine.ledger.Result worker =
                dev.economyengine.ledger.Result.accepted(spend, "coins", 120, 380, "3-1042", AT).asDuplicate();
        byte[] event = ENCODER.result(worker);

        Result result = EventJson.result(event);

        assertThat(result).isEqualTo(new Result("order-5531", "alice", "SPEND", "ACCEPTED", "OK", 120L, "coins", 380,
                "3-1042", true, AT, null, null, result.metadata()));
        assertThat(result.metadata().toString()).isEqualTo("{\"a\":[1,2]}");
        assertThat(result.accepted()).isTrue();
        assertThat(result.toJson()).isEqualTo(new String(event, StandardCharsets.UTF_8));
    }

    @Test
    void rejectedResult_overALimit_carriesItsMessageAndNextAllowedAt() throws Exception {
        Request.Earn earn = new Request.Earn("e1", "bob", "coins", 10, "daily_login", "daily_login", null, AT);
        Instant next = Instant.parse("2026-11-25T00:00:00Z");
        byte[] event = ENCODER.result(dev.economyengine.ledger.Result.rejected(earn, "coins",
                ResultCode.LIMIT_REACHED, "daily_login: 1 per calendar day", 10L, 10, next, AT));

        Result result = EventJson.result(event);

        assertThat(result.status()).isEqualTo(Status.REJECTED.name());
        assertThat(result.code()).isEqualTo("LIMIT_REACHED");
        assertThat(result.message()).isEqualTo("daily_login: 1 per calendar day");
        assertThat(result.nextAllowedAt()).isEqualTo(next);
        assertThat(result.transactionId()).isNull();
        assertThat(result.metadata()).isNull();
        assertThat(result.accepted()).isFalse();
        assertThat(result.toJson()).isEqualTo(new String(event, StandardCharsets.UTF_8));
    }

    @Test
    void balanceChange_readFromTheWorkersEvent_hasEveryField() throws Exception {
        byte[] event = ENCODER.balanceChange(new dev.economyengine.ledger.BalanceChange("alice", "coins", 380, -120,
                "3-1042", "order-5531", 7, AT));

        assertThat(EventJson.balanceChange(event))
                .isEqualTo(new BalanceChange("alice", "coins", 380, -120, "3-1042", "order-5531", 7, AT));
    }

    @Test
    void unknownFields_areIgnored() throws Exception {
        String event = "{\"userId\":\"alice\",\"currency\":\"coins\",\"balance\":1,\"delta\":1,\"transactionId\":\"0-1\","
                + "\"requestId\":\"r\",\"version\":1,\"occurredAt\":\"2026-11-24T11:23:55.869Z\",\"region\":\"eu\"}";

        assertThat(EventJson.balanceChange(event.getBytes(StandardCharsets.UTF_8)).requestId()).isEqualTo("r");
    }

    @ParameterizedTest(name = "user {0} is in the partition the producer's partitioner picks")
    @ValueSource(strings = {"alice", "bob", "ünïcødé", "user-4711", "x"})
    void userPartition_isTheOneKafkasProducerPicksForTheKey(String userId) {
        for (int partitions : new int[] {1, 3, 12}) {
            assertThat(UserPartitions.partitionOf(userId, partitions))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(userId.getBytes(StandardCharsets.UTF_8), partitions));
        }
    }

    @Test
    void requests_refuseWhatTheWorkerCouldOnlyReject() {
        assertThatThrownBy(() -> SpendRequest.of("alice", 0, null)).hasMessageContaining("amount");
        assertThatThrownBy(() -> EarnRequest.of("", "daily_login")).hasMessageContaining("userId");
        assertThatThrownBy(() -> new EarnRequest("x".repeat(129), "alice", "daily_login", null, null))
                .hasMessageContaining("requestId");
        assertThatThrownBy(() -> EarnRequest.of("alice", "")).hasMessageContaining("action");
        assertThatThrownBy(() -> SpendRequest.of(null, 1, null)).hasMessageContaining("userId");
    }

    private static Request readable(Decoded decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Readable.class);
        return ((Decoded.Readable) decoded).request();
    }
}
