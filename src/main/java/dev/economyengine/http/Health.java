package dev.economyengine.http;

/** Whether the worker is ready to serve, and why (or why not), as {@code /health/ready} answers. */
public record Health(boolean ready, String reason) {}
