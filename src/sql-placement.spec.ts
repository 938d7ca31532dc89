import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { sourceFiles } from '../test/utils/source-files';

/** What only a statement contains: a keyword pair no comment or message of ours uses. */
const STATEMENT =
  /\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+[a-z_]+\s+(?:[a-z]+\s+)?SET|DELETE\s+FROM|ON\s+CONFLICT|FOR\s+UPDATE|SET\s+LOCAL)/;

describe('where SQL lives', () => {
  it('should keep every statement in a repository', () => {
    const misplaced = sourceFiles(__dirname)
      .filter((file) => !file.endsWith('.repository.ts'))
      .filter((file) => STATEMENT.test(readFileSync(file, 'utf8')))
      .map((file) => relative(__dirname, file));
    expect(misplaced).toEqual([]);
  });

  it('should recognise a statement where it does not belong', () => {
    expect(STATEMENT.test("await manager.query('SELECT 1')")).toBe(true);
    expect(STATEMENT.test('`DELETE FROM profiles WHERE id = $1`')).toBe(true);
    expect(STATEMENT.test('// the purge selects due rows; a failed run is retried')).toBe(false);
  });
});
