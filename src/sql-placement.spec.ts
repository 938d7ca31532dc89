import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = __dirname;

/** What only a statement contains: a keyword pair no comment or message of ours uses. */
const STATEMENT =
  /\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+[a-z_]+\s+(?:[a-z]+\s+)?SET|DELETE\s+FROM|ON\s+CONFLICT|FOR\s+UPDATE)/;

/**
 * Where statements may live besides `*.repository.ts`: the platform layer that runs migrations,
 * takes locks and probes the server (src/database) is the database's own code.
 */
const ALLOWED_FOLDERS = ['database'];

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('where SQL lives', () => {
  it('should keep every statement in a repository (or the database layer)', () => {
    const misplaced = sourceFiles()
      .map((file) => relative(SRC, file))
      .filter((file) => !file.endsWith('.repository.ts'))
      .filter((file) => !ALLOWED_FOLDERS.includes(file.split('/')[0]))
      .filter((file) => STATEMENT.test(readFileSync(join(SRC, file), 'utf8')));
    expect(misplaced).toEqual([]);
  });
});
