import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { encodeFrames } from '../../gateway/subscriptions/ws-frames.js';

describe('text frames written several to one Buffer', () => {
  let server: WebSocketServer;
  let url: string;
  /** What the server writes, as raw bytes, to the next connection. */
  let toWrite: Buffer;

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('connection', (_socket, request) => request.socket.write(toWrite));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function receive(count: number): Promise<string[]> {
    const client = new WebSocket(url);
    const messages: string[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on('message', (data, isBinary) => {
        expect(isBinary).toBe(false);
        messages.push(data.toString());
        if (messages.length === count) resolve();
      });
      client.on('error', reject);
    });
    client.close();
    return messages;
  }

  it('a client reads each frame as its own message, in order, at every length encoding (7, 16 and 64 bits)', async () => {
    const heads = ['{"id":"a","p":', '{"id":"b","p":', '{"id":"a","p":', '{"id":"é","p":'].map((s) => Buffer.from(s));
    // Payload lengths around the limits of the short and the 16-bit forms.
    const bodies = [100, 111, 65_520, 70_000].map((n, i) => Buffer.from(JSON.stringify('x'.repeat(n - heads[i].length - 3))));
    const tail = Buffer.from('}');
    toWrite = encodeFrames(heads, bodies, tail);
    const messages = await receive(4);
    expect(messages.map((m) => Buffer.byteLength(m))).toEqual([100, 111, 65_520, 70_000]);
    expect(messages).toEqual(heads.map((head, i) => `${head}${bodies[i]}}`));
  });

  it('payloads of 125, 126, 65,535 and 65,536 bytes', async () => {
    const lengths = [125, 126, 65_535, 65_536];
    const bodies = lengths.map((n) => Buffer.alloc(n - 2, 'y'));
    toWrite = encodeFrames(lengths.map(() => Buffer.from('[')), bodies, Buffer.from(']'));
    const messages = await receive(4);
    expect(messages.map((m) => m.length)).toEqual(lengths);
    expect(messages[3]).toBe(`[${'y'.repeat(65_534)}]`);
  });
});
