package dev.economyengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The broker in a JVM of its own: it starts, answers, and is gone with its directory once closed. */
class BrokerProcessTest {

    @Test
    void brokerProcess_answersClients_andIsGoneWithItsDirectoryAfterClose() throws Exception {
        BrokerProcess broker = BrokerProcess.start();
        Path directory = broker.directory();
        try {
            assertThat(broker.pid()).as("a process of its own").isNotEqualTo(ProcessHandle.current().pid());
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("broker-process-test", 1, (short) 1))).all()
                        .get(30, TimeUnit.SECONDS);
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("broker-process-test");
            }
            assertThat(Files.isDirectory(directory.resolve("kafka"))).as("its log directory").isTrue();
            assertThat(broker.cpu().seconds().orElseThrow()).as("its CPU, from /proc").isPositive();
        } finally {
            broker.close();
        }

        assertThat(broker.isAlive()).as("the process, after close").isFalse();
        assertThat(directory).doesNotExist();
    }
}
