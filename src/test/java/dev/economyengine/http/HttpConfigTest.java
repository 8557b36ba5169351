package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.config.ConfigException;
import dev.economyengine.config.ConfigLoader;
import dev.economyengine.config.EconomyConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP keys of the configuration: http.host, http.port and http.advertised-url. */
class HttpConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults_listenOnEveryInterfaceAtPort8080_andDeriveTheAdvertisedUrl() throws IOException {
        EconomyConfig.Http http = load(Map.of()).http();

        assertThat(http.host()).isEqualTo("0.0.0.0");
        assertThat(http.port()).isEqualTo(8080);
        assertThat(http.advertisedUrl()).isEmpty();
    }

    @Test
    void environment_setsHostPortAndAdvertisedUrl_withoutATrailingSlash() throws IOException {
        EconomyConfig.Http http = load(Map.of("ECONOMY_HTTP_HOST", "127.0.0.1", "ECONOMY_HTTP_PORT", "0",
                "ECONOMY_HTTP_ADVERTISED_URL", "http://worker-1.example:9090/")).http();

        assertThat(http.host()).isEqualTo("127.0.0.1");
        assertThat(http.port()).isZero();
        assertThat(http.advertisedUrl()).contains(URI.create("http://worker-1.example:9090"));
    }

    @Test
    void file_setsTheHttpKeysToo() throws IOException {
        Path file = dir.resolve("economy.properties");
        Files.writeString(file, "http.port=9999\nhttp.advertised-url=https://w.example\n");

        EconomyConfig.Http http = ConfigLoader.load(Map.of("ECONOMY_CONFIG", file.toString())).http();

        assertThat(http.port()).isEqualTo(9999);
        assertThat(http.advertisedUrl()).contains(URI.create("https://w.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "http", "8080.5"})
    void port_outOfRangeOrNotANumber_isRefusedNamingKeyAndVariable(String port) {
        assertThatThrownBy(() -> load(Map.of("ECONOMY_HTTP_PORT", port)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.port").hasMessageContaining("ECONOMY_HTTP_PORT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker-1:8080", "ftp://w:21", "http://", "http://w:8080/?x=1", "http://w#f", "not a url"})
    void advertisedUrl_thatIsNotAnHttpBaseUrl_isRefusedNamingKeyAndVariable(String url) {
        assertThatThrownBy(() -> load(Map.of("ECONOMY_HTTP_ADVERTISED_URL", url)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.advertised-url").hasMessageContaining("ECONOMY_HTTP_ADVERTISED_URL");
    }

    @Test
    void host_setBlank_isRefused() {
        assertThatThrownBy(() -> load(Map.of("ECONOMY_HTTP_HOST", " ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.host");
    }

    private EconomyConfig load(Map<String, String> variables) throws IOException {
        Path file = dir.resolve("empty.properties");
        Files.writeString(file, "");
        Map<String, String> env = new HashMap<>(variables);
        env.put("ECONOMY_CONFIG", file.toString());
        return ConfigLoader.load(env);
    }
}
