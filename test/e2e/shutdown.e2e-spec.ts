import { connect } from 'node:net';
import { profileBody } from '../factories/profile.factory';
import { createTestApp } from '../utils/test-app';

/**
 * A request that reaches the service while it closes (here: pipelined behind one still running)
 * is answered 503 problem+json with Retry-After, like every other error.
 */
describe('requests during shutdown', () => {
  it('should be answered 503 problem+json with Retry-After', async () => {
    const t = await createTestApp({
      REQUEST_TIMEOUT_MS: '60000',
      DATABASE_ACQUIRE_TIMEOUT_MS: '60000',
      DATABASE_LOCK_TIMEOUT_MS: '60000',
    });
    const token = t.issuer.partner(1);
    const created = await t.http.post('/customers/v2/profiles', {
      token,
      body: profileBody({ password: undefined }),
    });
    const path = `/customers/v2/profiles/${created.body.customerNumber}`;
    const { port } = new URL(t.baseUrl);

    // The first request waits behind a locked table, so the server stays open while it closes.
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('LOCK TABLE profiles IN ACCESS EXCLUSIVE MODE');
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const ended = new Promise<void>((done) => socket.on('close', () => done()));
    const request = `GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n\r\n`;
    await new Promise<void>((done) => socket.write(request, () => done()));
    await new Promise((done) => setTimeout(done, 200));

    const closing = t.close();
    // New connections are refused once closing has begun.
    for (let tries = 0; tries < 100; tries++) {
      const refused = await fetch(`${t.baseUrl}/health/live`).then(
        () => false,
        () => true,
      );
      if (refused) {
        break;
      }
      await new Promise((done) => setTimeout(done, 50));
    }
    socket.write(request);
    await new Promise((done) => setTimeout(done, 200));
    // The closing app may already have ended the pool, and this connection with it.
    await holder.rollbackTransaction().catch(() => undefined);
    await holder.release();
    await ended;
    await closing;

    const responses = received.split(/(?=HTTP\/1\.1 )/);
    expect(responses).toHaveLength(2);
    expect(responses[0]).toMatch(/^HTTP\/1\.1 200/);
    expect(responses[1]).toMatch(/^HTTP\/1\.1 503/);
    expect(responses[1]).toMatch(/content-type: application\/problem\+json/i);
    expect(responses[1]).toMatch(/retry-after: \d+/i);
    expect(responses[1]).toMatch(/x-correlation-id: /i);
    expect(responses[1]).toContain('shutting down');
  });
});
