import { IceServerSchema, type IceServer } from '@/lib/settings/settings-schema';

/**
 * The options page edits STUN/TURN servers as text, one server per line:
 *
 * ```text
 * stun:stun.example.org:3478
 * turn:turn.example.org:3478?transport=udp alice s3cret
 * ```
 *
 * A line is the URL, optionally followed by a user name and a password (separated by spaces), which is
 * what `RTCIceServer` takes as `{ urls, username, credential }`. Blank lines and lines starting with `#`
 * are ignored. User names and passwords therefore cannot contain spaces.
 */

/** Reads one line; `undefined` when it is not a server the browser would accept. */
export function parseIceServerLine(line: string): IceServer | undefined {
  const [urls, username, credential, ...rest] = line.trim().split(/\s+/);
  if (!urls || rest.length > 0) return undefined;
  const parsed = IceServerSchema.safeParse({ urls, username, credential });
  if (!parsed.success) return undefined;
  const isTurn = /^turns?:/i.test(parsed.data.urls);
  // RTCPeerConnection throws InvalidAccessError for a TURN URL without both credentials
  // (https://www.w3.org/TR/webrtc/#dom-rtcconfiguration-iceservers, step "If scheme name is turn or
  // turns…"); STUN takes none, so a user name there is a typo rather than something to pass on.
  if (isTurn ? !(username && credential) : username !== undefined) return undefined;
  return parsed.data;
}

/** The servers of a multi-line text, and the 1-based numbers of the lines that could not be read. */
export interface IceServerLines {
  servers: IceServer[];
  badLines: number[];
}

/** Reads the text of the ICE servers field. */
export function parseIceServerLines(text: string): IceServerLines {
  const servers: IceServer[] = [];
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const server = parseIceServerLine(trimmed);
    if (server) servers.push(server);
    else badLines.push(index + 1);
  });
  return { servers, badLines };
}

/** Writes one server as a line ({@link parseIceServerLine} reads it back). */
export function formatIceServerLine(server: IceServer): string {
  return [server.urls, server.username, server.credential].filter((part) => part).join(' ');
}

/** Writes servers as the text of the ICE servers field. */
export function formatIceServerLines(servers: readonly IceServer[]): string {
  return servers.map(formatIceServerLine).join('\n');
}
