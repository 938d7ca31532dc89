import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { withParsedKeys } from './parsed-key-cache';

describe('withParsedKeys', () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();

  function resolve(provider: ReturnType<typeof withParsedKeys>): Promise<unknown> {
    return new Promise((done, fail) =>
      provider({}, 'jwt', (error, key) => (error ? fail(error as Error) : done(key))),
    );
  }

  it('should hand out one parsed public key per PEM', async () => {
    const provider = withParsedKeys((_req, _jwt, done) => done(null, pem));
    const first = await resolve(provider);
    const second = await resolve(provider);
    expect(first).toBeInstanceOf(KeyObject);
    expect((first as KeyObject).type).toBe('public');
    expect(second).toBe(first);
  });

  it('should pass errors of the key source through', async () => {
    const failure = new Error('unknown kid');
    const provider = withParsedKeys((_req, _jwt, done) => done(failure));
    await expect(resolve(provider)).rejects.toBe(failure);
  });
});
