package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.config.ConfigException;
import dev.economyengine.config.ConfigLoader;
import dev.economyengine.config.EconomyConfig;
import dev.economyengine.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP keys of the configuration: http.host, http.port, http.advertised-url and the two tokens. */
class HttpConfigTest {
    private static final String WRITE_TOKEN = "w-0123456789abcdef0123456789";
    private static final String READ_TOKEN = "r-0123456789abcdef0123456789";

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

    @Test
    void tokens_areUnsetByDefault() throws IOException {
        EconomyConfig.Http http = load(Map.of()).http();

        assertThat(http.writeToken()).isEmpty();
        assertThat(http.readToken()).isEmpty();
    }

    @Test
    void tokens_setByTheEnvironment_areKept_butNeverShownByTheConfiguration() throws IOException {
        EconomyConfig config = load(Map.of("ECONOMY_HTTP_WRITE_TOKEN", WRITE_TOKEN, "ECONOMY_HTTP_READ_TOKEN", READ_TOKEN,
                "ECONOMY_KAFKA_SASL_MECHANISM", "PLAIN"));

        assertThat(config.http().writeToken()).hasValueSatisfying(token -> assertThat(token.reveal()).isEqualTo(WRITE_TOKEN));
        assertThat(config.http().readToken()).hasValueSatisfying(token -> assertThat(token.reveal()).isEqualTo(READ_TOKEN));
        assertThat(config.toString()).contains("PLAIN").doesNotContain(WRITE_TOKEN, READ_TOKEN);
        assertThat(config.http().toString()).doesNotContain(WRITE_TOKEN, READ_TOKEN);
        HttpOptions options = new HttpOptions("127.0.0.1", 0, Optional.empty(), AccessTokens.of(
                config.http().writeToken().map(Secret::reveal), config.http().readToken().map(Secret::reveal)));
        assertThat(options.toString()).doesNotContain(WRITE_TOKEN, READ_TOKEN);
    }

    @Test
    void tokens_setInTheFile_areKept() throws IOException {
        Path file = dir.resolve("economy.properties");
        Files.writeString(file, "http.write-token=" + WRITE_TOKEN + "\n");

        assertThat(ConfigLoader.load(Map.of("ECONOMY_CONFIG", file.toString())).http().writeToken()).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"short-token-15c", "has space in the token 0123", "quote\"in-the-token-0123", "=leading-equals-0123456"})
    void token_thatIsNoBearerTokenOf16CharactersOrMore_isRefused_withoutShowingIt(String token) {
        for (String variable : new String[] {"ECONOMY_HTTP_WRITE_TOKEN", "ECONOMY_HTTP_READ_TOKEN"}) {
            assertThatThrownBy(() -> load(Map.of(variable, token)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(variable)
                    .hasMessageNotContaining(token.strip());
        }
    }

    private EconomyConfig load(Map<String, String> variables) throws IOException {
        Path file = dir.resolve("empty.properties");
        Files.writeString(file, "");
        Map<String, String> env = new HashMap<>(variables);
        env.put("ECONOMY_CONFIG", file.toString());
        return ConfigLoader.load(env);
    }
}
