/** Client ids: who owns keys, lookups and webhooks (HTTP API, issue 6). */

/** The client that keys, lookups and webhooks stored before clients existed belong to. */
export const DEFAULT_CLIENT_ID = 'default';
/** A client id: 1–64 lower-case letters, digits, `_` or `-`. */
export const CLIENT_ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
