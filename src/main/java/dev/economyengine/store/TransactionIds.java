package dev.economyengine.store;

/**
 * Transaction ids are {@code "<shard>-<sequence>"}: unique across the shards of a deployment without
 * any coordination, and the sequence orders a user's history.
 */
final class TransactionIds {
    private TransactionIds() {}

    static String format(int shardId, long sequence) {
        return shardId + "-" + sequence;
    }

    static long sequence(String transactionId) {
        return Long.parseLong(transactionId.substring(transactionId.indexOf('-') + 1));
    }
}
