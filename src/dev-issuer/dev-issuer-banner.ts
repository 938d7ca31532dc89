import { AppConfig } from '../config/app-config';

export interface Banner {
  warnings: string[];
  lines: string[];
}

/**
 * What start-up says about the development issuer. Client ids, never secrets: only the built-in
 * demo clients' secrets (published in the README) appear, and only outside production, so the
 * printed `curl` line works on a plain `npm start`.
 */
export function devIssuerBanner(config: AppConfig, baseUrl: string): Banner {
  const { devIssuer, audience } = config.auth;
  if (!devIssuer.enabled) {
    return { warnings: [], lines: [] };
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
  const showSecrets = devIssuer.demoClients && !config.production;
  const clients = devIssuer.clients
    .map((c) => `${c.clientId} (organisation ${c.organisationId}: ${c.permissions.join(' ')})`)
    .join('; ');
  const lines = [
    `Development clients: ${clients || 'none'}; secrets: ${
      showSecrets
        ? '<client id>-secret (the published demo secrets)'
        : 'as configured in DEV_CLIENTS (never logged)'
    }`,
  ];
  const first = devIssuer.clients.at(0);
  if (first) {
    const secret = showSecrets ? first.clientSecret : '<client secret>';
    lines.push(
      `Get a token: curl -s -X POST ${baseUrl}/oauth/token -H 'content-type: application/json' ` +
        `-d '{"grant_type":"client_credentials","client_id":"${first.clientId}","client_secret":"${secret}","audience":"${audience}"}'`,
    );
  }
  return { warnings, lines };
}
