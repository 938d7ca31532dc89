import { AppConfig } from '../config/app-config';
import { devIssuerBanner } from './dev-issuer-banner';

const BASE = 'http://localhost:3000';
const CUSTOM_CLIENTS = JSON.stringify([
  {
    clientId: 'ops',
    clientSecret: 'a-real-secret-4711',
    organisationId: 3,
    permissions: ['customers:read'],
  },
]);

function text(env: Record<string, string>): string {
  const { warnings, lines } = devIssuerBanner(AppConfig.fromEnvironment(env), BASE);
  return [...warnings, ...lines].join('\n');
}

describe('devIssuerBanner', () => {
  it('should say nothing when the development issuer is off', () => {
    expect(devIssuerBanner(AppConfig.fromEnvironment({ DEV_AUTH: 'false' }), BASE)).toEqual({
      warnings: [],
      lines: [],
    });
  });

  it('should give a working token command with the published demo secret on a plain start', () => {
    const banner = text({});
    expect(banner).toContain('DEVELOPMENT TOKEN ISSUER IS ON');
    expect(banner).toContain('demo-1 (organisation 1');
    expect(banner).toContain('demo-admin (organisation 1: customers:admin)');
    expect(banner).toContain(`curl -s -X POST ${BASE}/oauth/token`);
    expect(banner).toContain('"client_id":"demo-1","client_secret":"demo-1-secret"');
    // Only the secret of the command: the admin client's is not printed.
    expect(banner).not.toContain('demo-admin-secret');
  });

  it('should never print secrets of DEV_CLIENTS', () => {
    const banner = text({ DEV_CLIENTS: CUSTOM_CLIENTS });
    expect(banner).toContain('ops (organisation 3: customers:read)');
    expect(banner).toContain('"client_secret":"<client secret>"');
    expect(banner).not.toContain('a-real-secret-4711');
  });

  it('should print no secret and warn loudly in production, demo clients or not', () => {
    for (const env of [
      { NODE_ENV: 'production', DEV_AUTH: 'true' },
      { NODE_ENV: 'production', DEV_AUTH: 'true', DEV_CLIENTS: CUSTOM_CLIENTS },
    ]) {
      const { warnings, lines } = devIssuerBanner(AppConfig.fromEnvironment(env), BASE);
      expect(warnings.join('\n')).toContain('DEV_AUTH=true with NODE_ENV=production');
      expect(lines.join('\n')).not.toMatch(/-secret|a-real-secret/);
    }
    expect(text({ NODE_ENV: 'production', DEV_AUTH: 'true' })).toContain(
      'secrets are published in the README',
    );
  });
});
