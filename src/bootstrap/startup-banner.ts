import { AppConfig, DEFAULT_DEV_CLIENTS, DevClient } from '../config/app-config';

/** What a person needs after start-up: where the docs are, who can get tokens and how. */
export interface StartupBanner {
  url: string;
  swaggerUi: string;
  database: string;
  clients: {
    clientId: string;
    clientSecret: string;
    organisationId: number;
    permissions: string;
  }[];
  /** A shell command that prints a token response as it is, when the demo client exists. */
  tokenCommand?: string;
}

const HIDDEN_SECRET = '(secret as configured in DEV_CLIENTS)';

/**
 * The built-in demo secrets are public (README) and printed outside production only; configured
 * ones are never printed.
 */
function printableSecret(client: DevClient, production: boolean): string {
  const demo = DEFAULT_DEV_CLIENTS.find((d) => d.clientId === client.clientId);
  return !production && demo?.clientSecret === client.clientSecret
    ? client.clientSecret
    : HIDDEN_SECRET;
}

/** `http://0.0.0.0:3000` (what the server reports) as a person would type it. */
export function localUrl(listeningUrl: string): string {
  return listeningUrl
    .replace('[::1]', 'localhost')
    .replace('0.0.0.0', 'localhost')
    .replace('127.0.0.1', 'localhost');
}

export function startupBanner(config: AppConfig, url: string): StartupBanner {
  const devIssuer = config.auth.devIssuer;
  const clients = devIssuer.enabled
    ? devIssuer.clients.map((c) => ({
        clientId: c.clientId,
        clientSecret: printableSecret(c, config.production),
        organisationId: c.organisationId,
        permissions: c.permissions.join(' '),
      }))
    : [];
  const demo = clients.find((c) => c.clientSecret !== HIDDEN_SECRET && c.permissions !== '');
  const body = demo && {
    grant_type: 'client_credentials',
    client_id: demo.clientId,
    client_secret: demo.clientSecret,
  };
  return {
    url,
    swaggerUi: `${url}/docs`,
    database: config.database.url
      ? 'PostgreSQL (DATABASE_URL)'
      : `embedded PGlite in ${config.database.pgliteDataDir}`,
    clients,
    // Single quotes around the JSON: pasted into a POSIX shell it runs as printed.
    tokenCommand:
      body &&
      `curl -s -X POST ${url}/oauth/token -H 'content-type: application/json' -d '${JSON.stringify(body)}'`,
  };
}

/** The banner as lines of plain text, for a terminal. */
export function bannerText(banner: StartupBanner): string {
  const lines = [
    '',
    `Customers API is ready on ${banner.url}`,
    `  Swagger UI   ${banner.swaggerUi}`,
    `  Database     ${banner.database}`,
  ];
  if (banner.clients.length > 0) {
    lines.push(
      '  Development token issuer on; its clients (id / secret, organisation, permissions):',
    );
    for (const c of banner.clients) {
      lines.push(
        `    ${c.clientId} / ${c.clientSecret}   organisation ${c.organisationId}   ${c.permissions}`,
      );
    }
  }
  if (banner.tokenCommand) {
    lines.push('  Get a token (or press Authorize in Swagger UI with the same client):');
    lines.push(`    ${banner.tokenCommand}`);
  }
  return `${lines.join('\n')}\n\n`;
}
