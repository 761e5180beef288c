/**
 * Shared plumbing for the real-SIP test harness: free ports, temp dirs, readiness probes and
 * reliable start/stop of the external daemons (Kamailio, rtpengine, sipp, baresip).
 *
 * Everything here binds to or probes 127.0.0.1 only: the test machines have no other network the
 * tests may use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The only address the harness ever listens on or sends to. */
export const LOOPBACK = '127.0.0.1';

/**
 * This machine's addresses outside loopback. Browsers gather ICE candidates on them, and a peer
 * can learn them as peer-reflexive candidates even when only 127.0.0.1 is signalled; running the
 * tests in a network namespace with only `lo` (see isolated.sh) makes this list empty.
 */
export function nonLoopbackAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal)
    .map((entry) => entry.address);
}

/** Resolves with a TCP port on 127.0.0.1 that was free a moment ago (the OS picked it). */
export async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the bound TCP port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** Resolves with a UDP port on 127.0.0.1 that was free a moment ago (the OS picked it). */
export async function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.unref();
    socket.on('error', reject);
    socket.bind(0, LOOPBACK, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** True when a UDP socket can be bound to 127.0.0.1:port right now. */
async function udpPortIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.unref();
    socket.on('error', () => resolve(false));
    socket.bind(port, LOOPBACK, () => socket.close(() => resolve(true)));
  });
}

/**
 * Finds an even UDP port whose next ports are free too (RTP uses a block: sipp's -rtp_echo takes
 * mp and mp+2). Picked below the kernel's ephemeral range (32768+) so short-lived sockets of other
 * programs cannot grab it between the check and the daemon's bind.
 */
export async function freeUdpPortBlock(size: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20000 + 2 * Math.floor(Math.random() * 6000);
    let allFree = true;
    for (let offset = 0; offset < size && allFree; offset += 1) {
      allFree = await udpPortIsFree(base + offset);
    }
    if (allFree) return base;
  }
  throw new Error(`no block of ${size} free UDP ports found`);
}

/** Creates a fresh private directory under the OS temp dir. */
export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${prefix}-`));
}

/**
 * Removes a directory tree, retrying because a process that is still exiting (Chromium in
 * particular) can recreate files while we delete them, which surfaces as ENOTEMPTY/EBUSY.
 */
export async function removeDir(dir: string, attempts = 10): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(200 * attempt);
    }
  }
}

/** Polls `check` every `intervalMs` until it returns true; rejects with `what` after timeoutMs. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export async function tcpPortAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * True when some process has a UDP socket bound to 127.0.0.1:port (or 0.0.0.0:port).
 * Read from /proc instead of probing with our own bind(), because a probe socket could hold the
 * port at the very moment the daemon tries to bind it.
 */
export async function udpPortBound(port: number): Promise<boolean> {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const table = await readFile('/proc/net/udp', 'utf8');
  return table
    .split('\n')
    .slice(1)
    .some((line) => {
      const local = line.trim().split(/\s+/)[1];
      return local === `0100007F:${portHex}` || local === `00000000:${portHex}`;
    });
}

/**
 * Sends one UDP datagram to 127.0.0.1:port and resolves with the first answer, or null on timeout.
 * Used for protocol-level readiness probes (SIP OPTIONS, rtpengine "ping").
 */
export async function udpRequest(port: number, payload: string, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    let settled = false;
    const finish = (value: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(value);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('message', (message) => finish(message.toString('utf8')));
    socket.on('error', () => finish(null));
    socket.bind(0, LOOPBACK, () => {
      socket.send(payload, port, LOOPBACK, (error) => {
        if (error) finish(null);
      });
    });
  });
}

/** Options for {@link startDaemon}. */
export interface DaemonOptions {
  /** Program to run (absolute path or a name on PATH). */
  command: string;
  /** Its arguments. */
  args: readonly string[];
  /** Working directory (the daemon's temp dir, so stray files land there). */
  cwd: string;
  /** A short name used in error messages. */
  name: string;
  /** Its environment (default: the test process's). */
  env?: NodeJS.ProcessEnv;
  /** Where output goes; the harness keeps it for log()/waitForLog(). */
  onOutput: (chunk: string) => void;
  /**
   * Signal the daemon gets when the test process dies without cleaning up (killed by a timeout,
   * SIGKILL, a crash); default SIGTERM. Use SIGKILL for programs that ignore SIGTERM for long.
   */
  parentDeathSignal?: NodeJS.Signals;
}

/** util-linux's setpriv sets PR_SET_PDEATHSIG and then execs the daemon (same pid). */
const SETPRIV = '/usr/bin/setpriv';

/** A started daemon process in its own process group. */
export interface Daemon {
  /** The process id (also the process group id). */
  readonly pid: number;
  /** True once the process has exited. */
  exited(): boolean;
  /** Resolves when the process has exited. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after graceMs, to the whole group; idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** Process groups still alive, killed synchronously if the test process exits without cleanup. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed or interrupted test run must not leave Kamailio/rtpengine/sipp holding ports.
  process.once('exit', () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing left in the group
  }
}

/**
 * Spawns a daemon in its own process group (detached) so stop() can kill it together with the
 * children it forks (Kamailio forks a worker per socket; killing only the main pid can leave
 * workers holding the ports), with a parent-death signal so it also ends when the test process is
 * killed.
 */
export function startDaemon(options: DaemonOptions): Daemon {
  installExitHook();
  // Detached daemons are not killed with the test process's group, and an exit hook does not run
  // on SIGKILL/SIGTERM: without a parent-death signal a killed test run would leak Kamailio & co.
  // holding their ports.
  const deathSignal = options.parentDeathSignal ?? 'SIGTERM';
  const [command, args] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', deathSignal.replace(/^SIG/, ''), '--', options.command, ...options.args]]
    : [options.command, [...options.args]];
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`${options.name}: spawn failed (${options.command})`);
  }
  liveGroups.add(pid);
  let hasExited = false;
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => options.onOutput(chunk));
  child.stderr?.on('data', (chunk: string) => options.onOutput(chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      options.onOutput(`\n[harness] ${options.name} spawn error: ${error.message}\n`);
      hasExited = true;
      resolve({ code: null, signal: null });
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 3000): Promise<void> => {
    stopping ??= (async () => {
      if (groupAlive(pid)) {
        signalGroup(pid, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        while (groupAlive(pid) && Date.now() < deadline) await sleep(25);
        if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
      }
      await exit;
      // Children of the group may outlive the leader by a moment; wait until the group is empty.
      const deadline = Date.now() + 2000;
      while (groupAlive(pid) && Date.now() < deadline) {
        signalGroup(pid, 'SIGKILL');
        await sleep(25);
      }
      liveGroups.delete(pid);
    })();
    return stopping;
  };

  return { pid, exited: () => hasExited, exit, stop };
}

/**
 * Keeps a daemon's output (bounded) and lets tests wait for a line. Offsets refer to the whole
 * text, so a caller can remember `text().length` and wait only for output produced later.
 */
export class OutputLog {
  private chunks: string[] = [];
  private length = 0;
  private readonly waiters = new Set<() => void>();

  /** Appends output and wakes up waiters. */
  append(chunk: string): void {
    // Bounded so that a chatty daemon in a long run cannot exhaust memory; tests look at recent
    // output anyway.
    if (this.length > 8_000_000) {
      this.chunks = [this.text().slice(-4_000_000)];
      this.length = this.chunks[0]?.length ?? 0;
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
    for (const wake of this.waiters) wake();
  }

  /** Everything kept so far. */
  text(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return this.chunks[0] ?? '';
  }

  /** Resolves with the first match of `re` in the output from character offset `since` on. */
  async waitFor(re: RegExp, timeoutMs: number, since = 0): Promise<RegExpMatchArray> {
    const find = (): RegExpMatchArray | null => this.text().slice(since).match(re);
    const immediate = find();
    if (immediate) return immediate;
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const match = find();
        if (!match) return;
        cleanup();
        resolve(match);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(re)} in the log`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }
}
