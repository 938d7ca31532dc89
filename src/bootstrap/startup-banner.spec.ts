import { AppConfig } from '../config/app-config';
import { bannerText, localUrl, startupBanner } from './startup-banner';

describe('startup banner', () => {
  it('should show the public demo secrets and a token command for the embedded default', () => {
    const banner = startupBanner(AppConfig.fromEnvironment({}), 'http://localhost:3000');
    expect(banner.swaggerUi).toBe('http://localhost:3000/docs');
    expect(banner.clients.map((c) => c.clientSecret)).toEqual([
      'demo-1-secret',
      'demo-2-secret',
      'demo-admin-secret',
    ]);
    expect(banner.tokenCommand).toBe(
      `curl -s -X POST http://localhost:3000/oauth/token -H 'content-type: application/json' ` +
        `-d '{"grant_type":"client_credentials","client_id":"demo-1","client_secret":"demo-1-secret"}'`,
    );
    const text = bannerText(banner);
    expect(text.trimEnd().split('\n').at(-1)?.trim()).toBe(banner.tokenCommand);
  });

  it('should never print a configured secret', () => {
    const clients = [
      {
        clientId: 'demo-1',
        clientSecret: 's3cr3t',
        organisationId: 1,
        permissions: ['customers:read'],
      },
    ];
    const config = AppConfig.fromEnvironment({ DEV_CLIENTS: JSON.stringify(clients) });
    const banner = startupBanner(config, 'http://localhost:3000');
    expect(JSON.stringify(banner)).not.toContain('s3cr3t');
    expect(bannerText(banner)).not.toContain('s3cr3t');
    expect(banner.tokenCommand).toBeUndefined();
  });

  it('should list no clients when the development issuer is off', () => {
    const config = AppConfig.fromEnvironment({ AUTH_ISSUER: 'https://tenant.eu.auth0.com/' });
    const banner = startupBanner(config, 'http://localhost:3000');
    expect(banner.clients).toEqual([]);
    expect(bannerText(banner)).not.toContain('curl');
  });

  it('should name the address a person types', () => {
    expect(localUrl('http://0.0.0.0:3000')).toBe('http://localhost:3000');
    expect(localUrl('http://[::1]:3000')).toBe('http://localhost:3000');
  });
});
