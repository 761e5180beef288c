/**
 * baresip as a registered plain-RTP far end: it registers to Kamailio over UDP with digest
 * authentication like a desk phone, answers automatically (or on command), sends a 440 Hz tone and
 * discards what it receives (there is no sound card); its CALL_RTPESTAB event shows it got RTP.
 *
 * Controlled over its ctrl_tcp socket (netstring-framed JSON), because its console UI (stdio.so)
 * needs a TTY.
 */
import { writeFile } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  LOOPBACK,
  OutputLog,
  freeTcpPort,
  freeUdpPort,
  freeUdpPortBlock,
  makeTempDir,
  removeDir,
  startDaemon,
  tcpPortAccepts,
  waitUntil,
} from './process.ts';

const BARESIP_BIN = '/usr/bin/baresip';
const MODULE_PATH = '/usr/lib/baresip/modules';

/** Options for {@link startBaresip}. */
export interface BaresipOptions {
  /** Where to register: Kamailio's UDP port and SIP domain (e.g. from a KamailioServer). */
  registrar: { udpPort: number; domain: string };
  /** SIP user and digest password, e.g. 1005 / pw1005. */
  user: string;
  password: string;
  /** "auto" (default) answers every call; "manual" waits for accept(). */
  answerMode?: 'auto' | 'manual';
  /** Milliseconds to wait for the control socket and the registration; default 10000. */
  startTimeoutMs?: number;
}

/** An event baresip pushed over ctrl_tcp (e.g. type REGISTER_OK, CALL_ESTABLISHED, CALL_CLOSED). */
export interface BaresipEvent {
  type: string;
  /** Other fields as baresip sent them (class, accountaor, direction, peeruri, param, ...). */
  [field: string]: unknown;
}

/** A running, registered baresip. */
export interface BaresipUa {
  /** Its SIP UDP port on 127.0.0.1. */
  readonly sipPort: number;
  /** Its address of record, e.g. sip:1005@demo.local. */
  readonly aor: string;
  /** Runs a baresip command (as typed in its console without the "/"), resolves with its output. */
  command(name: string, params?: string): Promise<string>;
  /** Calls a number or SIP URI. */
  dial(target: string): Promise<string>;
  /** Answers the ringing call (answerMode "manual"). */
  accept(): Promise<string>;
  /** Hangs up the current call. */
  hangup(): Promise<string>;
  /** All events so far. */
  events(): BaresipEvent[];
  /** Resolves with the first event of `type` received after event index `since` (default 0). */
  waitForEvent(type: string, timeoutMs?: number, since?: number): Promise<BaresipEvent>;
  /** baresip's console output. */
  log(): string;
  /** Quits baresip (ctrl "quit", then SIGTERM/SIGKILL: it lingers ~30 s after SIGTERM alone); idempotent. */
  stop(): Promise<void>;
}

function netstring(payload: string): string {
  return `${Buffer.byteLength(payload)}:${payload},`;
}

/** Talks baresip's ctrl_tcp protocol: netstring-framed JSON commands, responses and events. */
class CtrlClient {
  private readonly socket: Socket;
  private buffer = Buffer.alloc(0);
  private nextToken = 1;
  private readonly pending = new Map<string, { resolve: (data: string) => void; reject: (error: Error) => void }>();
  readonly received: BaresipEvent[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      for (const { reject } of this.pending.values()) reject(new Error('baresip control connection closed'));
      this.pending.clear();
    });
  }

  static connect(port: number): Promise<CtrlClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: LOOPBACK, port });
      socket.once('connect', () => resolve(new CtrlClient(socket)));
      socket.once('error', reject);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      if (!Number.isInteger(length) || this.buffer.length < colon + 1 + length + 1) return;
      const json = this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.buffer = this.buffer.subarray(colon + 1 + length + 1);
      this.onMessage(json);
    }
  }

  private onMessage(json: string): void {
    if (process.env.HARNESS_DEBUG_BARESIP) console.log('ctrl <-', json);
    let message: unknown;
    try {
      message = JSON.parse(json);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const record = message as Record<string, unknown>;
    if (record.response === true && typeof record.token === 'string') {
      const waiter = this.pending.get(record.token);
      this.pending.delete(record.token);
      const data = typeof record.data === 'string' ? record.data : '';
      if (record.ok === false) waiter?.reject(new Error(`baresip command failed: ${data}`));
      else waiter?.resolve(data);
    } else if (record.event === true && typeof record.type === 'string') {
      this.received.push({ ...record, type: record.type });
      for (const wake of this.waiters) wake();
    }
  }

  command(name: string, params: string | undefined, timeoutMs = 5000): Promise<string> {
    const token = String(this.nextToken++);
    const body = JSON.stringify(params === undefined ? { command: name, token } : { command: name, params, token });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new Error(`baresip command ${name} got no response in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(token, {
        resolve: (data) => {
          clearTimeout(timer);
          resolve(data);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.write(netstring(body));
    });
  }

  waitForEvent(type: string, timeoutMs: number, since: number): Promise<BaresipEvent> {
    const find = (): BaresipEvent | undefined => this.received.slice(since).find((event) => event.type === type);
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const event = find();
        if (!event) return;
        cleanup();
        resolve(event);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.received.map((event) => event.type).join(', ');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for baresip event ${type} (seen: ${seen})`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * Starts baresip on 127.0.0.1 with a fresh config dir, registers it to the given Kamailio and
 * resolves once the registration succeeded (event REGISTER_OK).
 */
export async function startBaresip(options: BaresipOptions): Promise<BaresipUa> {
  const { registrar, user, password } = options;
  for (const value of [user, password, registrar.domain]) {
    if (!/^[A-Za-z0-9._~+-]+$/.test(value)) throw new Error(`unsafe value for the baresip config: ${value}`);
  }
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = await makeTempDir('harness-baresip');
  const sipPort = await freeUdpPort();
  const ctrlPort = await freeTcpPort();
  const rtpMin = await freeUdpPortBlock(4);
  const aor = `sip:${user}@${registrar.domain}`;
  const config = [
    'poll_method epoll',
    `sip_listen ${LOOPBACK}:${sipPort}`,
    // an interface name such as "lo" is not accepted by baresip 1.0; the address is
    `net_interface ${LOOPBACK}`,
    // never ask a real DNS server: nothing here needs names, and only loopback may be used
    `dns_server ${LOOPBACK}:53`,
    'call_local_timeout 120',
    'call_max_calls 4',
    // A 440 Hz tone as the microphone, so every call carries audio; received audio goes into an
    // aubridge device nobody reads (there is no sound card).
    'audio_player aubridge,sink',
    'audio_source ausine,440',
    'audio_alert aubridge,alert',
    `rtp_ports ${rtpMin}-${rtpMin + 99}`,
    'rtcp_mux no',
    'jitter_buffer_delay 1-10',
    `module_path ${MODULE_PATH}`,
    // opus first: with g711 first baresip prefers PCMU even when the offer leads with opus
    'module opus.so',
    'module g711.so',
    'module aubridge.so',
    'module ausine.so',
    'module_tmp uuid.so',
    'module_tmp account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen ${LOOPBACK}:${ctrlPort}`,
    '',
  ].join('\n');
  const answerMode = options.answerMode ?? 'auto';
  const account =
    `"Baresip ${user}" <${aor};transport=udp>;auth_pass=${password};` +
    `outbound="sip:${LOOPBACK}:${registrar.udpPort};transport=udp";regint=600;answermode=${answerMode};ptime=20\n`;
  await writeFile(join(dir, 'config'), config);
  await writeFile(join(dir, 'accounts'), account);
  await writeFile(join(dir, 'contacts'), '');

  const output = new OutputLog();
  const daemon = startDaemon({
    name: 'baresip',
    command: BARESIP_BIN,
    args: ['-f', dir],
    cwd: dir,
    // baresip lingers ~30 s after SIGTERM
    parentDeathSignal: 'SIGKILL',
    onOutput: (chunk) => output.append(chunk),
  });

  let ctrl: CtrlClient | undefined;
  const stop = async (): Promise<void> => {
    if (ctrl && !daemon.exited()) {
      await ctrl.command('quit', undefined, 1000).catch(() => undefined);
      // it exits once un-REGISTER is answered; don't wait long, SIGKILL is harmless here
      await Promise.race([daemon.exit, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    ctrl?.close();
    await daemon.stop(300);
    await removeDir(dir);
  };

  try {
    await waitUntil(
      async () => {
        if (daemon.exited()) throw new Error(`baresip exited during start:\n${output.text().slice(-4000)}`);
        return tcpPortAccepts(ctrlPort);
      },
      startTimeoutMs,
      'baresip ctrl_tcp to listen',
    );
    ctrl = await CtrlClient.connect(ctrlPort);
    const connected = ctrl;
    // The REGISTER usually completes before we connect (so its REGISTER_OK event is missed):
    // poll the registration status instead.
    let info = '';
    await waitUntil(
      async () => {
        // strip the ANSI colours baresip puts around the status
        info = (await connected.command('reginfo', undefined)).replace(/\u001b\[[0-9;]*m/g, '');
        return /\bOK\b/.test(info);
      },
      startTimeoutMs,
      'baresip to register',
      100,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last reginfo: ${info}`);
    });
  } catch (error) {
    await stop();
    throw new Error(`baresip did not register: ${String(error)}\n${output.text().slice(-3000)}`);
  }

  const client = ctrl;
  let stopping: Promise<void> | undefined;
  return {
    sipPort,
    aor,
    command: (name, params) => client.command(name, params),
    dial: (target) =>
      client.command('dial', target.startsWith('sip:') ? target : `sip:${target}@${registrar.domain}`),
    accept: () => client.command('accept', undefined),
    hangup: () => client.command('hangup', undefined),
    events: () => [...client.received],
    waitForEvent: (type, timeoutMs = 10_000, since = 0) => client.waitForEvent(type, timeoutMs, since),
    log: () => output.text(),
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}
