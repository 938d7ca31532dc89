import { logDestination } from '../../src/observability/logging.module';
import { LogCapture } from '../utils/log-capture';
import { createTestApp, TestApp } from '../utils/test-app';

/** The shared capture, plus the completion line of one request. */
class RequestLogCapture extends LogCapture {
  /** Waits for the completion line of a request: it is written when the response has finished. */
  completionOf(correlationId: string): Promise<Record<string, any>> {
    return this.find((r) => r.correlationId === correlationId && r.res);
  }
}

describe('observability', () => {
  let t: TestApp;
  const logs = new RequestLogCapture();
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'debug' }, { extraModules: [logDestination(logs)] });
  });
  afterAll(() => t.close());

  describe('metrics', () => {
    it('should serve Prometheus text at /metrics without a token', async () => {
      await t.http.get('/customers/v2/organisations/2', { token: t.issuer.admin() });
      const res = await t.http.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
      expect(res.text).toContain('process_cpu_user_seconds_total');
    });

    it('should label request durations with the route pattern, not the raw path', async () => {
      await t.http.get('/customers/v2/organisations/3', { token: t.issuer.admin() });
      const res = await t.http.get('/metrics');
      expect(res.text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/customers\/v2\/organisations\/:id",status="200"\} \d+/,
      );
      expect(res.text).not.toContain('route="/customers/v2/organisations/3"');
    });

    it('should expose no customer data or tokens', async () => {
      const res = await t.http.get('/metrics');
      expect(res.text).not.toMatch(/@|Bearer|eyJ/);
    });
  });

  describe('health', () => {
    it('should answer liveness without a token', async () => {
      const res = await t.http.get('/health/live');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('should answer readiness with the database status', async () => {
      const res = await t.http.get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    });
  });

  describe('logs', () => {
    const email = `secret.person.${Date.now()}@example.com`;
    const password = 'Sup3rSecretPassw0rd!';

    it('should keep e-mail, password and token out of every line and say who called', async () => {
      const token = t.issuer.partner(2, undefined, 'log-test-client');
      const admin = t.issuer.admin();
      const correlationId = `log-test-${Date.now()}`;
      const before = logs.lines.length;

      await t.http.post('/customers/v2/organisations', {
        token: admin,
        query: { email },
        headers: { 'x-correlation-id': `${correlationId}-admin`, 'x-email': email },
        body: { id: 77, name: email, email, password, firstName: 'Secretname' },
      });
      // A partner route that exists on every build: a partner token gets 403 on admin routes.
      await t.http.get('/customers/v2/organisations', {
        token,
        query: { email, password },
        headers: { 'x-correlation-id': correlationId, 'et-client-name': 'log-test-app' },
      });
      await t.http.get(`/customers/v2/organisations/${encodeURIComponent(email)}`, {
        token,
        headers: { 'x-correlation-id': `${correlationId}-path` },
      });

      const completed = await logs.completionOf(correlationId);
      await logs.completionOf(`${correlationId}-admin`);
      await logs.completionOf(`${correlationId}-path`);
      const lines = logs.lines.slice(before);
      for (const secret of [email, password, token, admin, token.split('.')[2], 'Secretname']) {
        expect(lines.filter((line) => line.includes(secret))).toEqual([]);
      }

      expect(completed).toMatchObject({
        correlationId,
        organisationId: 2,
        clientId: 'log-test-client',
        clientName: 'log-test-app',
        res: { statusCode: 403 },
        req: { method: 'GET', path: '/customers/v2/organisations' },
        responseTime: expect.any(Number),
      });
    });

    it('should carry the correlation id on every request line', async () => {
      const before = logs.lines.length;
      await t.http.get('/customers/v2/organisations/1', {
        token: t.issuer.admin(),
        headers: { 'x-correlation-id': 'every-line-check' },
      });
      await logs.completionOf('every-line-check');
      const lines = logs.records().slice(before);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.correlationId).toBe('every-line-check');
      }
    });
  });
});
