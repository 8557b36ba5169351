/**
 * The JSON of the wire contract that more than one layer writes: result and balance-changed events,
 * published by the worker and served again by the query API, and transactions as the API and the
 * export command show them. Depends on the ledger and Jackson only.
 */
package dev.economyengine.wire;
