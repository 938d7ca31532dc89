import { Writable } from 'node:stream';

/** Collects the service's JSON log lines in memory: `createTestApp(env, { extraModules: [logDestination(capture)] })`. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  private partial = '';

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.filter(Boolean));
    done();
  }

  records(): Record<string, any>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, any>);
  }

  /** Waits for the first record matching `predicate` (log lines are written asynchronously). */
  async find(predicate: (record: Record<string, any>) => boolean): Promise<Record<string, any>> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const record = this.records().find(predicate);
      if (record) {
        return record;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no such log record');
  }
}
