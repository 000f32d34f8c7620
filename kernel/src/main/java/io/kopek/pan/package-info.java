/**
 * Card numbers (PANs) are never stored or logged: whatever Kopek keeps or prints of text from outside (registry
 * fields, providers' answers) passes through {@link io.kopek.pan.Pans#mask}.
 */
package io.kopek.pan;
