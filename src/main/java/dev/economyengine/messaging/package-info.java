/**
 * Kafka messaging: the poll loop that merges the earn and spend partitions of a shard, the JSON
 * codecs of the wire contract, publishing results and balance-changed events, forwarding requests
 * that landed in another partition than their user's, and the dead-letter topic for records that
 * cannot be read.
 */
package dev.economyengine.messaging;
