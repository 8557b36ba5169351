package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestTargetTest {

    @Test
    void path_isSplitBeforeDecoding_soAnEncodedSlashStaysInItsSegment() {
        RequestTarget target = RequestTarget.parse("/v1/users/a%2Fb/balance", null);

        assertThat(target.segments()).containsExactly("v1", "users", "a/b", "balance");
    }

    @Test
    void path_decodesUtf8_andKeepsPlusAsPlus() {
        RequestTarget target = RequestTarget.parse("/v1/users/%C3%A9+x%20y", null);

        assertThat(target.segments()).containsExactly("v1", "users", "é+x y");
    }

    @Test
    void query_decodesPlusAsSpace_andTheFirstOfARepeatedParameterCounts() {
        RequestTarget target = RequestTarget.parse("/x", "cursor=a+b%2B&limit=5&limit=6&&flag");

        assertThat(target.parameter("cursor")).contains("a b+");
        assertThat(target.parameter("limit")).contains("5");
        assertThat(target.parameter("flag")).contains("");
        assertThat(target.parameter("missing")).isEmpty();
    }

    @Test
    void rawPathAndQuery_isKeptAsSent_forARedirect() {
        assertThat(RequestTarget.parse("/v1/users/a%2Fb/balance", "limit=5").rawPathAndQuery())
                .isEqualTo("/v1/users/a%2Fb/balance?limit=5");
        assertThat(RequestTarget.parse("/health/live", null).rawPathAndQuery()).isEqualTo("/health/live");
    }

    @Test
    void emptySegments_arePreserved() {
        assertThat(RequestTarget.parse("/", null).segments()).containsExactly("");
        assertThat(RequestTarget.parse("/a//b/", null).segments()).containsExactly("a", "", "b", "");
        assertThat(RequestTarget.parse("/a/b", null).is("a", "b")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%", "/%4", "/%zz", "/a%g1", "/%C3", "/%FF", "/%C3%28", "/%ED%A0%80", "/é"})
    void malformedPercentEncodingOrNonUtf8_isRefused(String path) {
        assertThatThrownBy(() -> RequestTarget.parse(path, null))
                .isInstanceOf(RequestTarget.MalformedTargetException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=%", "cursor=%GG", "%FF=1"})
    void malformedQuery_isRefused(String query) {
        assertThatThrownBy(() -> RequestTarget.parse("/x", query))
                .isInstanceOf(RequestTarget.MalformedTargetException.class);
    }

    @Test
    void pathThatIsNotAbsolute_isRefused() {
        for (String path : List.of("", "v1/users", "*")) {
            assertThatThrownBy(() -> RequestTarget.parse(path, null)).as(path)
                    .isInstanceOf(RequestTarget.MalformedTargetException.class);
        }
    }
}
