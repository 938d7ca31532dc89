import { affectedCount, resultRows } from './query-result';

describe('query result shapes', () => {
  it('reads the rows of a SELECT and of an UPDATE … RETURNING alike', () => {
    expect(resultRows([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(resultRows([[{ a: 1 }], 1])).toEqual([{ a: 1 }]);
    expect(resultRows([])).toEqual([]);
  });

  it('counts the rows an UPDATE or DELETE touched', () => {
    expect(affectedCount([[], 3])).toBe(3);
    expect(affectedCount([[{ a: 1 }], 1])).toBe(1);
    expect(affectedCount([{ a: 1 }, { a: 2 }])).toBe(2);
    expect(affectedCount(undefined)).toBe(0);
  });
});
