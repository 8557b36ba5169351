/**
 * Configuration: one immutable record, loaded from a properties file with environment-variable
 * overrides and validated once at start-up, and the earning rules file.
 */
package dev.economyengine.config;
