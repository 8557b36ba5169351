package dev.economyengine.client;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/** Where Kafka's default partitioner puts a record keyed by a userId: where the worker keeps the user. */
final class UserPartitions {
    private UserPartitions() {
    }

    static int partitionOf(String userId, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }
}
