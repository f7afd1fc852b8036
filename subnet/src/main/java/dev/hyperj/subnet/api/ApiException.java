package dev.hyperj.subnet.api;

import dev.hyperj.subnet.SubnetException;

/**
 * A handler's refusal with an HTTP status, an error code a program can branch on (e.g. {@code
 * bad_request}) and a message for a person; the server answers it as {@link ApiResponse#error}.
 */
public final class ApiException extends SubnetException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599)
            throw new IllegalArgumentException("an error status is 4xx or 5xx: " + status);
        this.status = status;
        this.code = code;
    }

    /** 400 {@code bad_request}. */
    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public ApiResponse toResponse() {
        return ApiResponse.error(status, code, getMessage());
    }
}
