import { jsonArray } from './consents-crm-export.service';

async function text(batches: number[][]): Promise<string> {
  async function* source(): AsyncGenerator<number[]> {
    yield* batches;
  }
  let out = '';
  for await (const chunk of jsonArray(source(), (n) => ({ n }))) {
    out += chunk;
  }
  return out;
}

describe('jsonArray', () => {
  it('should write an empty export as an empty array', async () => {
    expect(await text([])).toBe('[]');
  });

  it('should join the rows of every batch into one JSON array', async () => {
    const body = await text([[1, 2], [3]]);
    expect(JSON.parse(body)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('should stop reading batches when the consumer stops', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<number[]> {
      try {
        yield [1];
        yield [2];
      } finally {
        closed = true;
      }
    }
    const chunks = jsonArray(source(), (n) => n);
    await chunks.next();
    await chunks.return(undefined);
    expect(closed).toBe(true);
  });
});
