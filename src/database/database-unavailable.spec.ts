import { DatabaseError } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { databaseUnavailableReason } from './database-unavailable';

function sqlError(code: string): QueryFailedError {
  const driverError = Object.assign(new DatabaseError('server said no', 0, 'error'), { code });
  return new QueryFailedError('SELECT 1', [], driverError);
}

describe('databaseUnavailableReason', () => {
  it.each([
    ['57014', 'statement timeout'],
    ['55P03', 'lock timeout'],
    ['25P03', 'idle-in-transaction timeout'],
    ['57P01', 'server shutting down'],
    ['57P02', 'server crashed'],
    ['57P03', 'server starting up'],
    ['53300', 'too many connections'],
    ['53100', 'insufficient resources'],
    ['08006', 'connection failure'],
    ['08P01', 'connection failure'],
  ])('should call SQLSTATE %s unavailable (%s)', (code, reason) => {
    expect(databaseUnavailableReason(sqlError(code))).toBe(reason);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'])(
    'should call the socket error %s unavailable',
    (code) => {
      const error = Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
      expect(databaseUnavailableReason(error)).toBe(`unreachable (${code})`);
    },
  );

  it.each([
    ['timeout exceeded when trying to connect', 'no pooled connection free'],
    ['Connection terminated unexpectedly', 'connection lost'],
    ['Connection terminated due to connection timeout', 'connection lost'],
    ['Client has encountered a connection error and is not queryable', 'connection lost'],
    ['Client was closed and is not queryable', 'connection lost'],
    ['Cannot use a pool after calling end on the pool', 'shutting down'],
  ])('should call pg\'s "%s" unavailable', (message, reason) => {
    expect(databaseUnavailableReason(new Error(message))).toBe(reason);
  });

  it("should call TypeORM's query runner already released (a connection lost mid-transaction) unavailable", () => {
    expect(databaseUnavailableReason(new QueryRunnerAlreadyReleasedError())).toBe(
      'connection lost',
    );
  });

  it('should look through the causes an error wraps', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('Connection terminated due to connection timeout', {
      cause: refused,
    });
    expect(databaseUnavailableReason(new Error('outer', { cause: wrapped }))).toBeDefined();
  });

  it.each(['23505', '23503', '40001', '40P01', '22P02', '42P05', '42601'])(
    'should leave SQLSTATE %s to the other mappings (not unavailable)',
    (code) => {
      expect(databaseUnavailableReason(sqlError(code))).toBeUndefined();
    },
  );

  it('should leave errors of the code alone', () => {
    expect(databaseUnavailableReason(new TypeError('x is not a function'))).toBeUndefined();
    expect(databaseUnavailableReason(undefined)).toBeUndefined();
    expect(databaseUnavailableReason('text')).toBeUndefined();
  });
});
