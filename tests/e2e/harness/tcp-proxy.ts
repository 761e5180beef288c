/**
 * A TCP relay on 127.0.0.1 between a client and a server port, which a test can use to break the
 * connection the way a network does: cut every connection at once (RST), silently drop what the
 * open ones carry (a path that died without a word, as after a sleep or a change of network),
 * refuse new ones for a while, then accept them again. Bytes pass through untouched (it works for WebSocket, SIP over
 * TCP, anything).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { LOOPBACK } from './process.ts';

/** A running relay, see {@link startTcpProxy}. */
export interface TcpProxy {
  /** The port clients connect to. */
  readonly port: number;
  /** Connections accepted and relayed since the start. */
  readonly accepted: number;
  /** Connections refused (closed at once) while refusing. */
  readonly refused: number;
  /** Client connections open right now. */
  readonly open: number;
  /** Resets every open connection on both sides; returns how many client connections were cut. */
  cutAll(): number;
  /**
   * From now on the connections open right now carry nothing, either way, and stay open: neither
   * side learns of it. New connections work. Returns how many were silenced.
   */
  blackholeAll(): number;
  /** From now on, new connections are closed as soon as they arrive. */
  refuse(): void;
  /** From now on, new connections are relayed again. */
  accept(): void;
  /** Cuts everything and stops listening. */
  stop(): Promise<void>;
}

/** Starts a relay from a free port on 127.0.0.1 to `127.0.0.1:targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket; silent: boolean }>();
  let refusing = false;
  let accepted = 0;
  let refused = 0;

  const server: Server = createServer((client) => {
    if (refusing) {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    accepted += 1;
    const upstream = createConnection({ host: LOOPBACK, port: targetPort });
    const pair = { client, upstream, silent: false };
    pairs.add(pair);
    const close = (): void => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.on('data', (chunk) => {
      if (!pair.silent) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!pair.silent) client.write(chunk);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('could not read the proxy port');

  const cutAll = (): number => {
    const count = pairs.size;
    for (const { client, upstream } of [...pairs]) {
      // A reset, not a polite close: the client learns of it the way it would of a dead network.
      if (!client.destroyed) client.resetAndDestroy();
      if (!upstream.destroyed) upstream.resetAndDestroy();
    }
    pairs.clear();
    return count;
  };

  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    get refused() {
      return refused;
    },
    get open() {
      return pairs.size;
    },
    cutAll,
    blackholeAll() {
      for (const pair of pairs) pair.silent = true;
      return pairs.size;
    },
    refuse() {
      refusing = true;
    },
    accept() {
      refusing = false;
    },
    async stop() {
      refusing = true;
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
