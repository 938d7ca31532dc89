import { AppConfig } from '../config/app-config';

/** What start-up warns about the development issuer: always when it is on, louder in production. */
export function devIssuerWarnings(config: AppConfig): string[] {
  const { devIssuer } = config.auth;
  if (!devIssuer.enabled) {
    return [];
  }
  const warnings = [
    'DEVELOPMENT TOKEN ISSUER IS ON: anyone who can reach this port can get tokens. Never use it in production.',
  ];
  if (config.production) {
    warnings.push(
      `DEV_AUTH=true with NODE_ENV=production: this service trusts its own development issuer${
        devIssuer.demoClients
          ? ', and its clients are the demo clients whose secrets are published in the README'
          : ''
      }. Set AUTH_ISSUER to your identity provider.`,
    );
  }
  return warnings;
}
