import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  formatIceServerLine,
  formatIceServerLines,
  parseIceServerLine,
  parseIceServerLines,
} from '@/lib/options/ice-server-lines';
import type { IceServer } from '@/lib/settings/settings-schema';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('parseIceServerLine', () => {
  it.each<[string, IceServer]>([
    ['stun:stun.example.org:3478', { urls: 'stun:stun.example.org:3478' }],
    ['  stun:stun.example.org  ', { urls: 'stun:stun.example.org' }],
    ['stuns:stun.example.org:5349', { urls: 'stuns:stun.example.org:5349' }],
    [
      'turn:turn.example.org:3478?transport=udp user secret',
      { urls: 'turn:turn.example.org:3478?transport=udp', username: 'user', credential: 'secret' },
    ],
    [
      'turns:turn.example.org:5349\tagent  p@ss:word',
      { urls: 'turns:turn.example.org:5349', username: 'agent', credential: 'p@ss:word' },
    ],
  ])('reads %j', (line, server) => {
    expect(parseIceServerLine(line)).toEqual(server);
  });

  it.each([
    ['an empty line', ''],
    ['a URL that is not STUN or TURN', 'http://stun.example.org'],
    ['a scheme without host', 'stun:'],
    ['TURN without credentials', 'turn:turn.example.org:3478'],
    ['TURN with a user name only', 'turn:turn.example.org:3478 user'],
    ['STUN with a user name', 'stun:stun.example.org user'],
    ['STUN with credentials', 'stun:stun.example.org user secret'],
    ['a password with a space', 'turn:turn.example.org user sec ret'],
  ])('rejects %s', (_what, line) => {
    expect(parseIceServerLine(line)).toBeUndefined();
  });
});

describe('parseIceServerLines', () => {
  it('reads one server per line and skips blank lines and comments', () => {
    const text = [
      '# office',
      'stun:stun.example.org:3478',
      '',
      '   ',
      'turn:turn.example.org:3478?transport=udp user secret',
    ].join('\r\n');
    expect(parseIceServerLines(text)).toEqual({
      servers: [
        { urls: 'stun:stun.example.org:3478' },
        { urls: 'turn:turn.example.org:3478?transport=udp', username: 'user', credential: 'secret' },
      ],
      badLines: [],
    });
  });

  it('numbers the lines it cannot read from 1, counting blank ones', () => {
    const text = 'turn:turn.example.org\n\nstun:ok.example.org\nwss://not-ice.example.org';
    expect(parseIceServerLines(text)).toEqual({
      servers: [{ urls: 'stun:ok.example.org' }],
      badLines: [1, 4],
    });
  });

  it('reads an empty field as no servers', () => {
    expect(parseIceServerLines('')).toEqual({ servers: [], badLines: [] });
  });
});

describe('formatIceServerLines', () => {
  it.each<[IceServer, string]>([
    [{ urls: 'stun:stun.example.org' }, 'stun:stun.example.org'],
    [{ urls: 'turn:t.example.org', username: 'u', credential: 'c' }, 'turn:t.example.org u c'],
    [{ urls: 'turn:t.example.org', username: 'u' }, 'turn:t.example.org u'],
    [{ urls: 'stun:stun.example.org', username: '', credential: '' }, 'stun:stun.example.org'],
  ])('writes %j as %j', (server, line) => {
    expect(formatIceServerLine(server)).toBe(line);
  });

  it('writes what parseIceServerLines reads back', () => {
    const servers: IceServer[] = [
      { urls: 'stun:stun.example.org:3478' },
      { urls: 'turns:turn.example.org:5349?transport=tcp', username: 'agent', credential: 's3cret' },
    ];
    const text = formatIceServerLines(servers);
    expect(text).toBe('stun:stun.example.org:3478\nturns:turn.example.org:5349?transport=tcp agent s3cret');
    expect(parseIceServerLines(text)).toEqual({ servers, badLines: [] });
  });
});
