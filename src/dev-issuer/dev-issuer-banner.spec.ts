import { AppConfig } from '../config/app-config';
import { devIssuerWarnings } from './dev-issuer-banner';

function warnings(env: Record<string, string>): string {
  return devIssuerWarnings(AppConfig.fromEnvironment(env)).join('\n');
}

describe('devIssuerWarnings', () => {
  it('should say nothing when the development issuer is off', () => {
    expect(warnings({ DEV_AUTH: 'false' })).toBe('');
  });

  it('should warn on every start with the issuer on', () => {
    expect(warnings({})).toContain('DEVELOPMENT TOKEN ISSUER IS ON');
    expect(warnings({})).not.toContain('NODE_ENV=production');
  });

  it('should warn loudly in production and name the published demo secrets', () => {
    const text = warnings({ NODE_ENV: 'production', DEV_AUTH: 'true' });
    expect(text).toContain('DEV_AUTH=true with NODE_ENV=production');
    expect(text).toContain('secrets are published in the README');
  });
});
