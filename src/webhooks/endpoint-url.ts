import { lookup } from 'node:dns/promises';
import { ValidationDomainException } from '../common/errors/domain.exception';
import { ipLiteralOf, isForbiddenAddress, isLocalName } from './address-policy';

/** Registration waits this long for DNS; a name that does not resolve yet is checked at delivery. */
const LOOKUP_TIMEOUT_MS = 3_000;

/**
 * Refuses (400 naming `url`) a webhook URL with credentials in it, or whose host is, or now
 * resolves to, a loopback, private, link-local or reserved address. Delivery checks again at
 * each connection, so this is the early, friendly refusal, not the guard.
 */
export async function assertDeliverableUrl(url: string, allowPrivate: boolean): Promise<void> {
  const parsed = new URL(url);
  if (parsed.username || parsed.password) {
    throw refused('url must not contain a user name or password');
  }
  if (allowPrivate) {
    return;
  }
  const literal = ipLiteralOf(parsed.hostname);
  if (literal ? isForbiddenAddress(literal) : isLocalName(parsed.hostname)) {
    throw refused('url must not point to a loopback, private, link-local or reserved address');
  }
  if (literal) {
    return;
  }
  const addresses = await resolve(parsed.hostname);
  const forbidden = addresses.find((address) => isForbiddenAddress(address));
  if (forbidden) {
    throw refused(
      `url must not point to a loopback, private, link-local or reserved address ` +
        `(${parsed.hostname} resolves to ${forbidden})`,
    );
  }
}

async function resolve(hostname: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((done) => {
    timer = setTimeout(() => done([]), LOOKUP_TIMEOUT_MS);
  });
  const answer = lookup(hostname, { all: true }).then(
    (list) => list.map((a) => a.address),
    () => [],
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function refused(message: string): ValidationDomainException {
  return new ValidationDomainException(message, [{ field: 'url', message }]);
}
