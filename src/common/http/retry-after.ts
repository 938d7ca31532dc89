/** Retry-After (seconds) of a 503: the database, the request timeout or load shedding. */
export const RETRY_AFTER_SECONDS = 5;
