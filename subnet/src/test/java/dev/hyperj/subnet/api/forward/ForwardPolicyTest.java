package dev.hyperj.subnet.api.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The forwarding rules, driven without sockets. */
class ForwardPolicyTest {
    private static final ForwardRoute ECHO = ForwardRoute.of("/echo", URI.create("http://127.0.0.1:9/echo"))
            .withMethods(Set.of("POST"))
            .withBodyLimits(8, 100)
            .withMaxConcurrent(2);
    private final ForwardPolicy policy = new ForwardPolicy(List.of(ECHO));
    private final Map<String, Integer> taken = new HashMap<>();
    private final ForwardPolicy.Slots slots = r -> {
        int n = taken.merge(r.name(), 1, Integer::sum);
        if (n > r.maxConcurrent()) {
            taken.merge(r.name(), -1, Integer::sum);
            return false;
        }
        return true;
    };

    private static ApiCall call(String route, String method, List<ApiCall.Header> headers, String body) {
        return new ApiCall(route, method, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCallWithinTheLimitsIsPlannedWithItsHeadersAndHopByHopOnesDropped() {
        ForwardPolicy.Decision d = policy.decide(
                call(
                        "/echo",
                        "post",
                        List.of(
                                new ApiCall.Header("Content-Type", "text/plain"),
                                new ApiCall.Header("Connection", "x")),
                        "12345678"),
                slots);
        assertThat(d.refusal()).isNull();
        assertThat(d.plan().method()).isEqualTo("POST");
        assertThat(d.plan().target()).isEqualTo(URI.create("http://127.0.0.1:9/echo"));
        assertThat(d.plan().headers()).containsExactly(new ApiCall.Header("content-type", "text/plain"));
        assertThat(d.plan().timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void eachRuleRefusesWithItsTypedError() {
        assertThat(policy.decide(call("/nope", "POST", List.of(), ""), slots)
                        .refusal()
                        .error())
                .isEqualTo("unknown_route");
        assertThat(policy.decide(call("/echo", "GET", List.of(), ""), slots).refusal())
                .satisfies(a -> {
                    assertThat(a.error()).isEqualTo("method_not_allowed");
                    assertThat(a.status()).isEqualTo(405);
                    assertThat(a.message()).contains("[POST]");
                });
        assertThat(policy.decide(
                                call("/echo", "POST", List.of(new ApiCall.Header("Authorization", "Bearer x")), ""),
                                slots)
                        .refusal()
                        .error())
                .isEqualTo("header_not_allowed");
        assertThat(policy.decide(call("/echo", "POST", List.of(), "123456789"), slots)
                        .refusal()
                        .status())
                .isEqualTo(413);
        assertThat(taken).isEmpty(); // refused calls take no slot
    }

    @Test
    void theRoutesConcurrencyLimitAnswersBusy() {
        assertThat(policy.decide(call("/echo", "POST", List.of(), ""), slots).plan())
                .isNotNull();
        assertThat(policy.decide(call("/echo", "POST", List.of(), ""), slots).plan())
                .isNotNull();
        ApiAnswer third =
                policy.decide(call("/echo", "POST", List.of(), ""), slots).refusal();
        assertThat(third.error()).isEqualTo("route_busy");
        assertThat(third.status()).isEqualTo(503);
    }

    @Test
    void wireFormatsRoundTripAndRefuseGarbage() {
        ApiCall c = call("/echo", "POST", List.of(new ApiCall.Header("content-type", "a/b")), "hi");
        ApiCall back = ApiCall.decode(c.encode());
        assertThat(back.route()).isEqualTo("/echo");
        assertThat(back.headers()).isEqualTo(c.headers());
        assertThat(back.body()).isEqualTo(c.body());
        ApiAnswer a = ApiAnswer.error(ForwardError.SERVICE_TIMEOUT, "slow");
        assertThat(ApiAnswer.decode(a.encode())).satisfies(x -> {
            assertThat(x.status()).isEqualTo(504);
            assertThat(x.error()).isEqualTo("service_timeout");
            assertThat(x.message()).isEqualTo("slow");
        });
        assertThatThrownBy(() -> ApiCall.decode(new byte[] {(byte) 0xff, 0x01})).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> ApiCall.decode(new byte[0])).hasMessageContaining("route");
        assertThatThrownBy(() -> ApiAnswer.decode(new byte[0])).hasMessageContaining("status");
    }

    @Test
    void routeSpecsParseWithTheirLimitsAndRefuseNonsense() {
        ForwardRoute r = ForwardRoute.parse(
                "/embed=http://127.0.0.1:8000/v1/embed;methods=POST;headers=content-type|x-a;max-body=100;max-response=200;timeout=1500;concurrency=3");
        assertThat(r.methods()).containsExactly("POST");
        assertThat(r.headers()).containsExactlyInAnyOrder("content-type", "x-a");
        assertThat(r.maxRequestBytes()).isEqualTo(100);
        assertThat(r.maxResponseBytes()).isEqualTo(200);
        assertThat(r.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(r.maxConcurrent()).isEqualTo(3);
        assertThatThrownBy(() -> ForwardRoute.parse("/x=ftp://h/")).hasMessageContaining("http://");
        assertThatThrownBy(() -> ForwardRoute.parse("/x=http://h/;speed=9"))
                .hasMessageContaining("unknown route option");
        assertThatThrownBy(() -> ForwardRoute.parse("nothing")).hasMessageContaining("NAME=URL");
        assertThatThrownBy(() -> new ForwardPolicy(List.of(ECHO, ECHO))).hasMessageContaining("twice");
    }
}
