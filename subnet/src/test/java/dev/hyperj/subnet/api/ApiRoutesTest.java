package dev.hyperj.subnet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {
    private static ApiRequest post(String body) {
        return new ApiRequest(
                "POST",
                "/v1/echo",
                Map.of(),
                Map.of("content-type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8),
                new InetSocketAddress("127.0.0.1", 5000));
    }

    @Test
    void storesRoutesAndFindsThemByMethodAndPath() throws Exception {
        ApiRoutes routes = new ApiRoutes();
        routes.route("post", "/v1/echo", "echoes", r -> ApiResponse.json(r.bodyAs(JsonNode.class)))
                .route("GET", "/v1/echo", r -> ApiResponse.text(200, "hi"));

        assertThat(routes.routes()).extracting(ApiRoute::method).containsExactly("GET", "POST");
        assertThat(routes.find("POST", "/v1/echo"))
                .get()
                .extracting(ApiRoute::description)
                .isEqualTo("echoes");
        assertThat(routes.find("PUT", "/v1/echo")).isEmpty();
        assertThat(routes.hasPath("/v1/echo")).isTrue();
        assertThat(routes.hasPath("/v1/other")).isFalse();

        ApiResponse answer =
                routes.find("POST", "/v1/echo").orElseThrow().handler().handle(post("{\"a\":1}"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("content-type", "application/json");
        assertThat(answer.bodyText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void refusesReservedDuplicateAndMalformedRoutes() {
        ApiRoutes routes = new ApiRoutes();
        ApiHandler h = r -> ApiResponse.text(200, "");
        routes.route("GET", "/v1/x", h);
        assertThatThrownBy(() -> routes.route("GET", "/v1/x", h)).hasMessageContaining("already added");
        assertThatThrownBy(() -> routes.route("GET", "/v1/status", h)).hasMessageContaining("itself");
        assertThatThrownBy(() -> routes.route("GET", "/metrics", h)).hasMessageContaining("itself");
        assertThatThrownBy(() -> routes.route("TRACE", "/v1/y", h)).hasMessageContaining("method");
        assertThatThrownBy(() -> routes.route("GET", "v1/y", h)).hasMessageContaining("path");
        assertThatThrownBy(() -> routes.route("GET", "/v1/y?x=1", h)).hasMessageContaining("path");
        assertThatThrownBy(() -> routes.route("GET", "/v1//y", h)).hasMessageContaining("path");
        assertThatThrownBy(() -> routes.route("GET", "/v1/../y", h)).hasMessageContaining("path");
        assertThatThrownBy(() -> routes.route("GET", "/v1/..", h)).hasMessageContaining("path");
    }

    @Test
    void badJsonBodyIsABadRequestWithTheOneErrorShape() {
        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(
                ApiException.class, () -> post("{not json").bodyAs(JsonNode.class));
        assertThat(e.status()).isEqualTo(400);
        ApiResponse r = e.toResponse();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText())
                .startsWith("{\"error\":{\"code\":\"bad_request\",\"message\":\"the body is not valid JSON");
        assertThatThrownBy(() -> post("").bodyAs(JsonNode.class)).isInstanceOf(ApiException.class);
    }
}
