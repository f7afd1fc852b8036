package dev.hyperj.subnet.api;

/** A route an application added: {@code method path}, what it does (for the OpenAPI document), its handler. */
public record ApiRoute(String method, String path, String description, ApiHandler handler) {}
