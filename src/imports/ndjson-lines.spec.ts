import { ndjsonLines, UploadedLine } from './ndjson-lines';

async function collect(chunks: (string | Buffer)[], limits?: Parameters<typeof ndjsonLines>[1]) {
  const lines: UploadedLine[] = [];
  for await (const line of ndjsonLines(
    (async function* () {
      yield* chunks;
    })(),
    limits,
  )) {
    lines.push(line);
  }
  return lines;
}

describe('ndjsonLines', () => {
  it('should split across chunk borders, keep file line numbers and skip blank lines', async () => {
    const lines = await collect(['{"a":', '1}\n\n  \r\n{"b"', ':2}\r\n{"c":3}']);
    expect(lines).toEqual([
      { lineNo: 1, body: '{"a":1}', problem: null },
      { lineNo: 4, body: '{"b":2}', problem: null },
      { lineNo: 5, body: '{"c":3}', problem: null },
    ]);
  });

  it('should keep a multi-byte character split between chunks', async () => {
    const bytes = Buffer.from('{"n":"Åse"}\n');
    const lines = await collect([bytes.subarray(0, 7), bytes.subarray(7)]);
    expect(lines[0].body).toBe('{"n":"Åse"}');
  });

  it('should report lines that are not UTF-8 or hold NUL, without their text', async () => {
    const lines = await collect([Buffer.from([0x7b, 0xff, 0x7d, 0x0a, 0x7b, 0x00, 0x7d, 0x0a])]);
    expect(lines).toEqual([
      { lineNo: 1, body: null, problem: 'the line is not valid UTF-8' },
      { lineNo: 2, body: null, problem: 'the line contains a NUL byte' },
    ]);
  });

  it('should refuse too many lines, too long a line and too many bytes with 413', async () => {
    const limits = { maxLines: 2, maxLineBytes: 10, maxBytes: 100 };
    await expect(collect(['{}\n{}\n{}\n'], limits)).rejects.toMatchObject({ status: 413 });
    await expect(collect(['{"a":"12345678"}\n'], limits)).rejects.toMatchObject({ status: 413 });
    await expect(collect(['{}\n'.repeat(40)], { ...limits, maxLines: 100 })).rejects.toMatchObject({
      status: 413,
    });
    await expect(collect(['{}\n{}'], limits)).resolves.toHaveLength(2);
  });
});
