import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The shared NATS server with JetStream (`.ci/run` starts it). */
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A stream name of this test app alone, so parallel suites never read each other's events. */
export function uniqueStreamName(): string {
  return `TEST_EVENTS_${randomBytes(6).toString('hex').toUpperCase()}`;
}

export interface StreamMessage {
  subject: string;
  seq: number;
  msgId: string | undefined;
  event: { id: string; subject: string; type: string; data: Record<string, any> };
}

/** Every message of the stream (optionally of one subject filter), in stream order. */
export async function readStream(
  url: string,
  stream: string,
  filter?: string,
): Promise<StreamMessage[]> {
  const nc = await connect({ servers: url, timeout: 5_000 });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream).catch(() => undefined);
    if (!info || info.state.messages === 0) {
      return [];
    }
    const consumer = await jetstream(nc).consumers.get(stream, {
      ...(filter ? { filter_subjects: filter } : {}),
    });
    const messages: StreamMessage[] = [];
    for (;;) {
      const batch = await consumer.fetch({ max_messages: 1_000, expires: 2_000 });
      let received = 0;
      let pending = 0;
      for await (const m of batch) {
        received += 1;
        pending = m.info.pending;
        messages.push({
          subject: m.subject,
          seq: m.seq,
          msgId: m.headers?.get('Nats-Msg-Id'),
          event: m.json(),
        });
        if (pending === 0) {
          break;
        }
      }
      if (received === 0 || pending === 0) {
        return messages;
      }
    }
  } finally {
    await nc.close();
  }
}

export async function deleteStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url, timeout: 5_000 });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * A NATS server of the test's own (a port and a store folder of its own), that the test can stop
 * and start again on the same port and store: a broker outage.
 */
export class OwnNatsServer {
  private child?: ChildProcess;
  private readonly storeDir = mkdtempSync(join(tmpdir(), 'customers-nats-'));

  private constructor(readonly port: number) {}

  static async create(): Promise<OwnNatsServer> {
    return new OwnNatsServer(await freePort());
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'nats-server',
      ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir],
      { stdio: 'ignore' },
    );
    this.child = child;
    const deadline = Date.now() + 30_000;
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`nats-server did not start on port ${this.port}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
