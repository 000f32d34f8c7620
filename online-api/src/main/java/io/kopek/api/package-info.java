/**
 * The online REST API, {@code /api/v1}: API-key authentication with roles, idempotent POSTs, RFC 9457 problems.
 */
package io.kopek.api;
