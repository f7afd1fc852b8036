/**
 * The node's network API as an application sees it: {@link dev.hyperj.subnet.api.ApiRoutes} (from
 * {@code NodeContext.api()}) adds routes, each an {@link dev.hyperj.subnet.api.ApiHandler} from an
 * {@link dev.hyperj.subnet.api.ApiRequest} to an {@link dev.hyperj.subnet.api.ApiResponse}. The
 * node's HTTP server serves them next to its own {@code /v1/...} routes, behind the same address,
 * allow-list, token and limits, and lists them in {@code /v1/openapi.json}.
 */
package dev.hyperj.subnet.api;
