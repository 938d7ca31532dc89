import { Injectable } from '@nestjs/common';

/** Where commands write: stdout for results, stderr for errors (tests replace it). */
@Injectable()
export class CliOutput {
  line(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  /** Raw output (an export), waiting while stdout's buffer is full so memory stays flat. */
  async write(chunk: string): Promise<void> {
    if (!process.stdout.write(chunk)) {
      await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  }

  error(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  /** Rows as aligned columns under a header. */
  table(header: string[], rows: (string | number)[][]): void {
    const cells = [header, ...rows.map((row) => row.map(String))];
    const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
    for (const row of cells) {
      this.line(
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      );
    }
  }
}

/** A failure the operator caused (bad argument, unknown id): its message, exit code 1. */
export class CliError extends Error {}

export function positiveId(value: string, what: string): number {
  const id = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) {
    throw new CliError(`${what} must be a positive integer, not "${value}"`);
  }
  return id;
}
