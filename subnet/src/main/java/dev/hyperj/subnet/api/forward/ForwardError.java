package dev.hyperj.subnet.api.forward;

/** Why an API call was not forwarded or not answered, with the HTTP status the bridge gives it. */
public enum ForwardError {
    UNKNOWN_ROUTE(404, "unknown_route"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    HEADER_NOT_ALLOWED(400, "header_not_allowed"),
    BODY_TOO_LARGE(413, "body_too_large"),
    BUSY(503, "route_busy"),
    SERVICE_TIMEOUT(504, "service_timeout"),
    SERVICE_UNAVAILABLE(502, "service_unavailable"),
    RESPONSE_TOO_LARGE(502, "response_too_large"),
    BAD_CALL(400, "bad_call");

    private final int status;
    private final String code;

    ForwardError(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
