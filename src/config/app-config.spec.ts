import { AppConfig, ConfigurationError } from './app-config';

function problemsOf(env: Record<string, string>): string {
  try {
    AppConfig.fromEnvironment(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).message;
  }
  throw new Error('expected a ConfigurationError');
}

describe('AppConfig', () => {
  describe('defaults (no configuration at all)', () => {
    const config = AppConfig.fromEnvironment({});

    it('should listen on 3000 with the embedded database under ./data', () => {
      expect(config.port).toBe(3000);
      expect(config.database).toMatchObject({
        url: undefined,
        pgliteDataDir: './data/pglite',
        poolSize: 10,
      });
    });

    it('should turn the development issuer on and trust it at localhost', () => {
      expect(config.auth).toMatchObject({
        issuer: 'http://localhost:3000/',
        audience: 'https://api.customers.local',
        jwksUri: 'http://localhost:3000/.well-known/jwks.json',
        organisationClaim: 'https://entur.io/organisationID',
      });
      expect(config.auth.devIssuer.enabled).toBe(true);
      expect(config.auth.devIssuer.keyFile).toBe('./data/dev-issuer-key.json');
    });

    it('should offer the three demo clients', () => {
      expect(
        config.auth.devIssuer.clients.map((c) => [c.clientId, c.clientSecret, c.organisationId]),
      ).toEqual([
        ['demo-1', 'demo-1-secret', 1],
        ['demo-2', 'demo-2-secret', 2],
        ['demo-admin', 'demo-admin-secret', 1],
      ]);
      expect(config.auth.devIssuer.clients[0].permissions).toEqual([
        'customers:read',
        'customers:write',
        'consents:read',
        'consents:write',
        'customers:export',
        'customers:import',
        'webhooks:manage',
      ]);
      expect(config.auth.devIssuer.clients[2].permissions).toEqual(['customers:admin']);
    });

    it('should register the demo organisations 1 and 2 in embedded mode', () => {
      expect(config.organisations).toEqual([
        { id: 1, name: 'Demo One' },
        { id: 2, name: 'Demo Two' },
      ]);
    });

    it('should use the documented defaults for the rest', () => {
      expect(config.expiry).toEqual({ cron: '*/1 * * * *', enabled: true });
      expect(config.timeZone).toBe('Europe/Oslo');
      expect(config.corsOrigins).toEqual([]);
      expect(config.logLevel).toBe('info');
      expect(config.auth.clockToleranceSeconds).toBe(60);
      expect(config.production).toBe(false);
      expect(config.rateLimitPerMinute).toBe(6000);
      expect(config.failedAuthPerMinute).toBe(300);
    });

    it('should trust no proxy: X-Forwarded-For is ignored', () => {
      expect(config.trustProxy).toBe(false);
      expect(config.logFormat).toBeUndefined();
    });

    it('should treat empty values as unset', () => {
      expect(AppConfig.fromEnvironment({ PORT: '', AUTH_ISSUER: '' }).port).toBe(3000);
    });
  });

  describe('TRUST_PROXY', () => {
    const trustProxy = (value: string) =>
      AppConfig.fromEnvironment({ TRUST_PROXY: value }).trustProxy;

    it('should take addresses, CIDR ranges and the named ranges, comma-separated', () => {
      expect(trustProxy(' 10.0.0.0/8, 192.168.1.10 ,::1, fd00::/8,loopback')).toEqual([
        '10.0.0.0/8',
        '192.168.1.10',
        '::1',
        'fd00::/8',
        'loopback',
      ]);
    });
  });

  describe('DEV_AUTH', () => {
    it('should be off when a real issuer is configured', () => {
      const config = AppConfig.fromEnvironment({ AUTH_ISSUER: 'https://tenant.eu.auth0.com/' });
      expect(config.auth.devIssuer.enabled).toBe(false);
      expect(config.auth.issuer).toBe('https://tenant.eu.auth0.com/');
      expect(config.auth.jwksUri).toBe('https://tenant.eu.auth0.com/.well-known/jwks.json');
    });

    it('should derive the JWKS address from an issuer without a trailing slash', () => {
      const config = AppConfig.fromEnvironment({ AUTH_ISSUER: 'https://idp.example/realms/x' });
      expect(config.auth.jwksUri).toBe('https://idp.example/realms/x/.well-known/jwks.json');
    });

    it('should follow an explicit DEV_AUTH either way', () => {
      expect(AppConfig.fromEnvironment({ DEV_AUTH: 'false' }).auth.devIssuer.enabled).toBe(false);
      expect(
        AppConfig.fromEnvironment({ DEV_AUTH: 'true', AUTH_ISSUER: 'https://idp.example/' }).auth
          .devIssuer.enabled,
      ).toBe(true);
      expect(AppConfig.fromEnvironment({ DEV_AUTH: 'off' }).auth.devIssuer.enabled).toBe(false);
    });

    it('should refuse NODE_ENV=production without AUTH_ISSUER, naming AUTH_ISSUER', () => {
      const environments: Record<string, string>[] = [
        { NODE_ENV: 'production' },
        { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/customers' },
        { NODE_ENV: 'production', DEV_AUTH: 'false' },
      ];
      for (const env of environments) {
        const message = problemsOf(env);
        expect(message).toContain('AUTH_ISSUER');
        expect(message).toContain('DEV_AUTH=true');
      }
    });

    it('should run the development issuer in production only when DEV_AUTH=true is explicit', () => {
      const config = AppConfig.fromEnvironment({ NODE_ENV: 'production', DEV_AUTH: 'true' });
      expect(config.production).toBe(true);
      expect(config.auth.devIssuer.enabled).toBe(true);
    });

    it('should turn the development issuer off in production with a real issuer', () => {
      const config = AppConfig.fromEnvironment({
        NODE_ENV: 'production',
        AUTH_ISSUER: 'https://idp.example/',
      });
      expect(config.auth.devIssuer.enabled).toBe(false);
    });

    it('should keep the development issuer on with DATABASE_URL outside production', () => {
      const config = AppConfig.fromEnvironment({ DATABASE_URL: 'postgresql://db/customers' });
      expect(config.production).toBe(false);
      expect(config.auth.devIssuer.enabled).toBe(true);
    });

    it('should know whether the clients are the published demo clients', () => {
      expect(AppConfig.fromEnvironment({}).auth.devIssuer.demoClients).toBe(true);
      const custom = AppConfig.fromEnvironment({
        DEV_CLIENTS: JSON.stringify([
          { clientId: 'a', clientSecret: 's', organisationId: 7, permissions: [] },
        ]),
      });
      expect(custom.auth.devIssuer.demoClients).toBe(false);
    });

    it('should put the configured port into the development issuer URLs', () => {
      const config = AppConfig.fromEnvironment({ PORT: '8080' });
      expect(config.auth.issuer).toBe('http://localhost:8080/');
      expect(config.auth.jwksUri).toBe('http://localhost:8080/.well-known/jwks.json');
    });

    it('should take explicit AUTH_* settings as given', () => {
      const config = AppConfig.fromEnvironment({
        AUTH_ISSUER: 'https://idp.example/',
        AUTH_AUDIENCE: 'https://customers.example',
        AUTH_JWKS_URI: 'https://keys.example/jwks',
        AUTH_ORGANISATION_CLAIM: 'org',
      });
      expect(config.auth).toMatchObject({
        audience: 'https://customers.example',
        jwksUri: 'https://keys.example/jwks',
        organisationClaim: 'org',
      });
    });
  });

  describe('other settings', () => {
    it('should register no organisations by default on a real database', () => {
      expect(
        AppConfig.fromEnvironment({ DATABASE_URL: 'postgresql://db/customers' }).organisations,
      ).toEqual([]);
    });

    it('should take AUTH_CLOCK_TOLERANCE_SECONDS', () => {
      expect(
        AppConfig.fromEnvironment({ AUTH_CLOCK_TOLERANCE_SECONDS: '0' }).auth.clockToleranceSeconds,
      ).toBe(0);
      expect(
        AppConfig.fromEnvironment({ AUTH_CLOCK_TOLERANCE_SECONDS: '300' }).auth
          .clockToleranceSeconds,
      ).toBe(300);
    });

    it('should parse ORGANISATIONS, DEV_CLIENTS and CORS_ORIGINS', () => {
      const config = AppConfig.fromEnvironment({
        ORGANISATIONS: '1:Entur, 2:Vy',
        DEV_CLIENTS: JSON.stringify([
          { clientId: 'a', clientSecret: 's', organisationId: 7, permissions: ['customers:read'] },
        ]),
        CORS_ORIGINS: 'https://a.example, https://b.example',
      });
      expect(config.organisations).toEqual([
        { id: 1, name: 'Entur' },
        { id: 2, name: 'Vy' },
      ]);
      expect(config.auth.devIssuer.clients).toEqual([
        { clientId: 'a', clientSecret: 's', organisationId: 7, permissions: ['customers:read'] },
      ]);
      expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    });

    it('should bound every wait on the database by default', () => {
      const config = AppConfig.fromEnvironment({});
      expect(config.database).toMatchObject({
        idleTimeoutMs: 10_000,
        acquireTimeoutMs: 2_000,
        statementTimeoutMs: 10_000,
        lockTimeoutMs: 2_000,
        idleInTransactionTimeoutMs: 30_000,
        preparedStatements: true,
      });
      expect(config.requestTimeoutMs).toBe(15_000);
      expect(config.loadShedding.maxEventLoopDelayMs).toBe(1_000);
      expect(config.loadShedding.maxHeapUsedBytes).toBeGreaterThan(0);
    });

    it('should run without session state behind a transaction pooler', () => {
      expect(AppConfig.fromEnvironment({}).database).toMatchObject({
        poolMode: 'session',
        preparedStatements: true,
      });
      const pooled = AppConfig.fromEnvironment({
        DATABASE_POOL_MODE: 'transaction',
        DATABASE_DIRECT_URL: 'postgresql://db.internal:5432/customers',
      });
      expect(pooled.database).toMatchObject({
        poolMode: 'transaction',
        preparedStatements: false,
        directUrl: 'postgresql://db.internal:5432/customers',
      });
      expect(() =>
        AppConfig.fromEnvironment({
          DATABASE_POOL_MODE: 'transaction',
          DATABASE_PREPARED_STATEMENTS: 'true',
        }),
      ).toThrow(/DATABASE_PREPARED_STATEMENTS: must be false with DATABASE_POOL_MODE=transaction/);
      expect(() => AppConfig.fromEnvironment({ DATABASE_POOL_MODE: 'statement' })).toThrow(
        /DATABASE_POOL_MODE/,
      );
    });

    it('should parse the database timeouts, prepared statements and load shedding', () => {
      const config = AppConfig.fromEnvironment({
        DATABASE_IDLE_TIMEOUT_MS: '0',
        DATABASE_ACQUIRE_TIMEOUT_MS: '500',
        DATABASE_STATEMENT_TIMEOUT_MS: '1000',
        DATABASE_LOCK_TIMEOUT_MS: '300',
        DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '4000',
        DATABASE_PREPARED_STATEMENTS: 'off',
        REQUEST_TIMEOUT_MS: '3000',
        LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '0',
        LOAD_SHEDDING_MAX_HEAP_USED_MB: '512',
      });
      expect(config.database).toMatchObject({
        idleTimeoutMs: 0,
        acquireTimeoutMs: 500,
        statementTimeoutMs: 1000,
        lockTimeoutMs: 300,
        idleInTransactionTimeoutMs: 4000,
        preparedStatements: false,
      });
      expect(config.requestTimeoutMs).toBe(3000);
      expect(config.loadShedding).toEqual({
        maxEventLoopDelayMs: 0,
        maxHeapUsedBytes: 512 * 1024 * 1024,
      });
    });
  });

  describe('bad values stop start-up, naming the variable', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['DATABASE_POOL_SIZE', '0'],
      ['AUTH_ISSUER', 'not a url'],
      ['AUTH_ISSUER', 'idp.example'],
      ['AUTH_JWKS_URI', 'keys'],
      ['DEV_AUTH', 'maybe'],
      ['EXPIRY_CRON', 'every minute'],
      ['EXPIRY_ENABLED', 'sometimes'],
      ['TIME_ZONE', 'Mars/Olympus'],
      ['ORGANISATIONS', '1:Entur,Vy'],
      ['ORGANISATIONS', '0:Zero'],
      ['ORGANISATIONS', '1:'],
      ['ORGANISATIONS', '99999999999:Huge'],
      ['ORGANISATIONS', '1:Entur,1:Vy'],
      ['DEV_CLIENTS', 'not json'],
      ['DEV_CLIENTS', '{"clientId":"a"}'],
      ['DEV_CLIENTS', '[{"clientId":"a","clientSecret":"s","organisationId":0,"permissions":[]}]'],
      ['DEV_CLIENTS', '[{"clientId":"a","clientSecret":"s","organisationId":1,"permissions":[1]}]'],
      ['DEV_CLIENTS', '[null]'],
      ['LOG_LEVEL', 'loud'],
      ['LOG_FORMAT', 'xml'],
      ['AUTH_TOKEN_URL', 'not a url'],
      ['RATE_LIMIT_PER_MINUTE', '0'],
      ['AUTH_CLOCK_TOLERANCE_SECONDS', '-1'],
      ['AUTH_CLOCK_TOLERANCE_SECONDS', '601'],
      ['AUTH_CLOCK_TOLERANCE_SECONDS', 'a minute'],
      ['FAILED_AUTH_PER_MINUTE', 'many'],
      ['TRUST_PROXY', 'true'],
      ['TRUST_PROXY', '2'],
      ['TRUST_PROXY', '10.0.0.0/33'],
      ['TRUST_PROXY', '10.0.0.1,proxy.example.com'],
      ['TRUST_PROXY', '::1/129'],
      ['TRUST_PROXY', '10.0.0.0/8/8'],
      ['DATABASE_IDLE_TIMEOUT_MS', '-1'],
      ['DATABASE_ACQUIRE_TIMEOUT_MS', '0'],
      ['DATABASE_STATEMENT_TIMEOUT_MS', '0'],
      ['DATABASE_LOCK_TIMEOUT_MS', 'soon'],
      ['DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', '0'],
      ['DATABASE_PREPARED_STATEMENTS', 'maybe'],
      ['REQUEST_TIMEOUT_MS', '0'],
      ['LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS', '-5'],
      ['LOAD_SHEDDING_MAX_HEAP_USED_MB', 'lots'],
    ])('should refuse %s=%j', (name, value) => {
      const message = problemsOf({ [name]: value });
      expect(message).toContain('Invalid configuration');
      expect(message).toContain(name);
    });

    it('should name every bad variable at once', () => {
      const message = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud' });
      expect(message).toContain('PORT');
      expect(message).toContain('LOG_LEVEL');
    });
  });
});
