import { QueryFailedError } from 'typeorm';
import { loggableError } from './all-exceptions.filter';

describe('loggableError', () => {
  it('should keep the values of a failed statement out of the log', () => {
    const driverError = Object.assign(
      new Error('invalid input syntax for type date: "ola.nordmann@example.com"'),
      { code: '22007', detail: 'Key (email)=(ola.nordmann@example.com) already exists.' },
    );
    const error = new QueryFailedError(
      'INSERT INTO profiles (email) VALUES ($1)',
      ['ola.nordmann@example.com'],
      driverError,
    );

    const logged = JSON.stringify(loggableError(error));

    expect(logged).not.toContain('ola.nordmann');
    expect(logged).toContain('QueryFailedError');
    expect(logged).toContain('22007');
  });

  it('should keep the message of other errors', () => {
    expect(loggableError(new TypeError('x is not a function'))).toMatchObject({
      type: 'TypeError',
      message: 'x is not a function',
    });
  });
});
