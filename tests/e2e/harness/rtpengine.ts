/**
 * rtpengine in userspace mode on 127.0.0.1, for Kamailio to bridge WebRTC (ICE + DTLS-SRTP) and
 * plain RTP far ends such as sipp or baresip.
 */
import { createSocket } from 'node:dgram';
import {
  LOOPBACK,
  OutputLog,
  freeUdpPort,
  freeUdpPortBlock,
  makeTempDir,
  removeDir,
  startDaemon,
  udpRequest,
  waitUntil,
} from './process.ts';

/** Options for {@link startRtpengine}. */
export interface RtpengineOptions {
  /** How many media ports rtpengine may use; default 200 (2 per stream, a few calls at most). */
  portCount?: number;
  /** rtpengine log level (syslog numbers, 7 = debug); default 6 (info). */
  logLevel?: number;
  /** Milliseconds to wait for the control socket to answer; default 10000. */
  startTimeoutMs?: number;
  /**
   * A UDP port on 127.0.0.1 where rtpengine reports every RFC 4733 telephone-event it relays, as
   * JSON (`--dtmf-log-dest`); see {@link startDtmfLogListener}.
   */
  dtmfLogPort?: number;
}

/** One DTMF event rtpengine saw in a call's RTP (the JSON it sends to `--dtmf-log-dest`). */
export interface RtpengineDtmfEvent {
  callid: string;
  /** The RFC 4733 event code: 0-9 digits, 10 `*`, 11 `#`, 12-15 A-D. */
  event: number;
  /** Duration in ms as rtpengine measured it. */
  duration: number;
  volume: number;
  [field: string]: unknown;
}

/** The keypad character of an RFC 4733 event code (RFC 4733 §3.2). */
export function dtmfEventKey(event: number): string {
  return '0123456789*#ABCD'[event] ?? '?';
}

/** Collects the DTMF events rtpengine reports (start it first and pass its port to rtpengine). */
export interface DtmfLogListener {
  readonly port: number;
  events(): RtpengineDtmfEvent[];
  close(): Promise<void>;
}

/** Listens on a free UDP port on 127.0.0.1 for rtpengine's DTMF reports. */
export async function startDtmfLogListener(): Promise<DtmfLogListener> {
  const socket = createSocket('udp4');
  const received: RtpengineDtmfEvent[] = [];
  socket.on('message', (message) => {
    try {
      received.push(JSON.parse(message.toString('utf8')) as RtpengineDtmfEvent);
    } catch {
      // not a report
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => resolve());
  });
  return {
    port: socket.address().port,
    events: () => [...received],
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A running rtpengine, see {@link startRtpengine}. */
export interface RtpengineServer {
  /** Control socket as Kamailio's rtpengine module wants it: "udp:127.0.0.1:PORT". */
  readonly ngAddress: string;
  /** The control (ng protocol) UDP port. */
  readonly ngPort: number;
  /** First and last media port rtpengine may allocate. */
  readonly portRange: readonly [number, number];
  /** rtpengine's output so far. */
  log(): string;
  /** Stops the daemon (SIGTERM, then SIGKILL) and removes its temp dir; idempotent. */
  stop(): Promise<void>;
}

const RTPENGINE_BIN = '/usr/bin/rtpengine';

/**
 * Starts rtpengine in the foreground in userspace mode (`--table=-1`: no kernel module, which the
 * test machines do not have), media and control on 127.0.0.1 only, and resolves once it answers
 * an ng "ping".
 */
export async function startRtpengine(options: RtpengineOptions = {}): Promise<RtpengineServer> {
  const portCount = options.portCount ?? 200;
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = await makeTempDir('harness-rtpengine');
  const ngPort = await freeUdpPort();
  // rtpengine skips busy ports inside its range, so checking the first few is enough.
  const portMin = await freeUdpPortBlock(4);
  const portMax = portMin + portCount - 1;
  const output = new OutputLog();
  const daemon = startDaemon({
    name: 'rtpengine',
    command: RTPENGINE_BIN,
    args: [
      // Ignore /etc/rtpengine/rtpengine.conf from the Debian package: it would set a kernel table
      // and other interfaces.
      '--config-file=none',
      '--foreground',
      '--log-stderr',
      `--log-level=${options.logLevel ?? 6}`,
      '--table=-1',
      `--interface=${LOOPBACK}`,
      `--listen-ng=${LOOPBACK}:${ngPort}`,
      `--port-min=${portMin}`,
      `--port-max=${portMax}`,
      '--num-threads=2',
      '--delete-delay=0',
      ...(options.dtmfLogPort === undefined ? [] : [`--dtmf-log-dest=${LOOPBACK}:${options.dtmfLogPort}`]),
    ],
    cwd: dir,
    onOutput: (chunk) => output.append(chunk),
  });

  // ng protocol: "<cookie> <bencoded dict>"; a ping is answered with result "pong".
  const ping = 'harness-ping d7:command4:pinge';
  try {
    await waitUntil(
      async () => {
        if (daemon.exited()) throw new Error(`rtpengine exited during start:\n${output.text().slice(-4000)}`);
        const answer = await udpRequest(ngPort, ping, 150);
        return answer?.includes('pong') ?? false;
      },
      startTimeoutMs,
      'rtpengine to answer ng ping',
    );
  } catch (error) {
    await daemon.stop(500);
    await removeDir(dir);
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    ngAddress: `udp:${LOOPBACK}:${ngPort}`,
    ngPort,
    portRange: [portMin, portMax],
    log: () => output.text(),
    stop() {
      stopping ??= (async () => {
        await daemon.stop();
        await removeDir(dir);
      })();
      return stopping;
    },
  };
}
