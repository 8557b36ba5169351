/**
 * One process per data directory: the program's own lock on a directory, taken before anything opens
 * it (the worker, {@code demo}, {@code replay} and the embedded broker), and the one-line refusal that
 * names the process holding it.
 */
package dev.economyengine.lock;
