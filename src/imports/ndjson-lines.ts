import { DomainException, PayloadTooLargeDomainException } from '../common/errors/domain.exception';

/** Limits of one upload: a million profiles, each line up to 64 KiB, 2 GiB in all. */
export const IMPORT_LIMITS = {
  maxLines: 1_000_000,
  maxLineBytes: 64 * 1024,
  maxBytes: 2 * 1024 * 1024 * 1024,
};

/** One line of an upload: its text, or why it cannot even be read as text. */
export interface UploadedLine {
  lineNo: number;
  body: string | null;
  problem: string | null;
}

const NEWLINE = 0x0a;
const decoder = new TextDecoder('utf-8', { fatal: true });

function tooLarge(detail: string): DomainException {
  return new PayloadTooLargeDomainException(detail);
}

/**
 * Splits a streamed body into lines without holding more than one line in memory. Blank lines are
 * skipped but counted, so numbers are the file's own line numbers. A line that is not UTF-8 or
 * holds a NUL byte (which the database cannot store) keeps its number and is reported invalid.
 */
export async function* ndjsonLines(
  body: AsyncIterable<Buffer | string>,
  limits = IMPORT_LIMITS,
): AsyncGenerator<UploadedLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNo = 0;
  let total = 0;

  const finish = (parts: Buffer[]): UploadedLine | null => {
    lineNo += 1;
    if (lineNo > limits.maxLines) {
      throw tooLarge(`An import holds at most ${limits.maxLines} lines`);
    }
    let bytes = Buffer.concat(parts);
    if (bytes.length && bytes[bytes.length - 1] === 0x0d) {
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (bytes.every((b) => b === 0x20 || b === 0x09)) {
      return null;
    }
    if (bytes.includes(0)) {
      return { lineNo, body: null, problem: 'the line contains a NUL byte' };
    }
    try {
      return { lineNo, body: decoder.decode(bytes), problem: null };
    } catch {
      return { lineNo, body: null, problem: 'the line is not valid UTF-8' };
    }
  };

  for await (const chunk of body) {
    let data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    total += data.length;
    if (total > limits.maxBytes) {
      throw tooLarge(`An import holds at most ${limits.maxBytes} bytes`);
    }
    for (;;) {
      const end = data.indexOf(NEWLINE);
      const part = end === -1 ? data : data.subarray(0, end);
      pendingBytes += part.length;
      if (pendingBytes > limits.maxLineBytes) {
        throw tooLarge(`Line ${lineNo + 1} is longer than ${limits.maxLineBytes} bytes`);
      }
      if (part.length) {
        pending.push(part);
      }
      if (end === -1) {
        break;
      }
      const line = finish(pending);
      pending = [];
      pendingBytes = 0;
      if (line) {
        yield line;
      }
      data = data.subarray(end + 1);
    }
  }
  if (pendingBytes > 0) {
    const line = finish(pending);
    if (line) {
      yield line;
    }
  }
}
