/**
 * The ledger domain: requests, accounts, entries, transactions, results and the rules that decide
 * them. Pure Java with no I/O: this package imports nothing outside {@code java.*}, a rule that
 * {@code LayeringTest} enforces, so the money rules can be read and tested on their own.
 */
package dev.economyengine.ledger;
