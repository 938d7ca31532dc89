import { QueryRunnerAlreadyReleasedError } from 'typeorm';

/**
 * Which errors mean "the database cannot serve this request now" (a 503 worth retrying) rather than
 * a fault of the request or the code. Returns a short reason for the log, or undefined.
 */
export function databaseUnavailableReason(error: unknown): string | undefined {
  for (let cause = error, depth = 0; cause && depth < 4; depth++) {
    const reason = ownReason(cause);
    if (reason) {
      return reason;
    }
    const { driverError, cause: next } = cause as DriverErrorLike;
    cause = driverError ?? next;
  }
  return undefined;
}

interface DriverErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

/** SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) of an unavailable database. */
const SQLSTATE_REASONS: Record<string, string> = {
  '57014': 'statement timeout',
  '55P03': 'lock timeout',
  '25P03': 'idle-in-transaction timeout',
  '57P01': 'server shutting down',
  '57P02': 'server crashed',
  '57P03': 'server starting up',
  '57P05': 'idle session timeout',
  '53300': 'too many connections',
};

/** Socket errors of a server that is down or unreachable. */
const NETWORK_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
];

/** pg and pg-pool say these in words only. */
const MESSAGE_REASONS: [RegExp, string][] = [
  [/timeout exceeded when trying to connect/i, 'no pooled connection free'],
  [/connection terminated/i, 'connection lost'],
  [/connection error and is not queryable/i, 'connection lost'],
  [/client was closed and is not queryable/i, 'connection lost'],
  [/query read timeout/i, 'statement timeout'],
  [/cannot use a pool after calling end/i, 'shutting down'],
];

function ownReason(error: DriverErrorLike): string | undefined {
  // TypeORM's answer to a statement on a query runner whose connection was lost and released
  // (a primary restart in the middle of a transaction): the request may be retried as a whole.
  if (error instanceof QueryRunnerAlreadyReleasedError) {
    return 'connection lost';
  }
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code) {
    if (SQLSTATE_REASONS[code]) {
      return SQLSTATE_REASONS[code];
    }
    // Class 08: connection exception; class 53: insufficient resources (disk, memory, connections).
    if (/^08[0-9A-Z]{3}$/.test(code)) {
      return 'connection failure';
    }
    if (/^53[0-9A-Z]{3}$/.test(code)) {
      return 'insufficient resources';
    }
    if (NETWORK_CODES.includes(code)) {
      return `unreachable (${code})`;
    }
  }
  const message = typeof error.message === 'string' ? error.message : '';
  return MESSAGE_REASONS.find(([pattern]) => pattern.test(message))?.[1];
}
