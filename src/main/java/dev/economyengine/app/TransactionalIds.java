package dev.economyengine.app;

import dev.economyengine.config.EconomyConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives a transactional.id that is stable for one worker across restarts and different for every
 * other worker: the group, the host name, and a digest of the data directory (two workers on one host
 * differ only in their data directory).
 */
final class TransactionalIds {
    private TransactionalIds() {}

    static String derive(EconomyConfig config) {
        String dataDir = config.dataDir().toAbsolutePath().normalize().toString();
        return config.groupId() + "-" + hostName() + "-" + digest(dataDir);
    }

    /**
     * The id of one worker lane (its transactional.id, its group.instance.id): lane 0 has the worker's
     * id itself, lane n the id with {@code -n} appended, so each lane fences only its own previous
     * incarnation.
     */
    static String forLane(String id, int lane) {
        return lane == 0 ? id : id + "-" + lane;
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
