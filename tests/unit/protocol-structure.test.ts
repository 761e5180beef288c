import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import { createEngineHandlers } from '@/lib/engine/engine-handlers';
import { BackgroundToContent } from '@/lib/messaging/background-to-content';
import { BackgroundToEngine } from '@/lib/messaging/background-to-engine';
import { ContentToBackground } from '@/lib/messaging/content-to-background';
import { EngineToBackground } from '@/lib/messaging/engine-to-background';
import { OptionsToBackground } from '@/lib/messaging/options-to-background';
import { PanelToBackground } from '@/lib/messaging/panel-to-background';
import type { Protocol, ProtocolSpec } from '@/lib/messaging/protocol';
import type { PhoneEngine } from '@/lib/phone/phone-engine';

/**
 * Every message crossing a context boundary has a schema for what goes and what comes back, and a
 * handler on the receiving side. Adding a message without either fails here.
 */

const root = join(import.meta.dirname, '../..');
const messagingDir = join(root, 'lib/messaging');

const PROTOCOLS: Record<string, Protocol<ProtocolSpec>> = {
  PanelToBackground,
  OptionsToBackground,
  BackgroundToEngine,
  EngineToBackground,
  ContentToBackground,
  BackgroundToContent,
};

const protocolRows = Object.entries(PROTOCOLS).map(([exportName, protocol]) => ({ exportName, protocol }));
const methodRows = protocolRows.flatMap(({ exportName, protocol }) =>
  Object.entries(protocol.methods).map(([method, spec]) => ({ exportName, method, spec: spec as unknown })),
);

function isProtocol(value: unknown): value is Protocol<ProtocolSpec> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { methods?: unknown }).methods === 'object'
  );
}

/** The keys of the object literal assigned to `const <name>` in `source` (4-space indented members). */
function objectLiteralKeys(source: string, name: string): string[] {
  const start = source.search(new RegExp(`const ${name}\\b[^=]*=\\s*\\{`));
  expect(start, `const ${name} = { … } not found`).toBeGreaterThanOrEqual(0);
  const end = source.indexOf('\n  };', start);
  expect(end, `end of ${name} not found`).toBeGreaterThan(start);
  const body = source.slice(start, end);
  return [...body.matchAll(/^ {4}([A-Za-z_$][\w$]*)\s*:/gm)].map((m) => m[1]!).sort();
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('messaging protocols', () => {
  it('covers every protocol declared in lib/messaging', async () => {
    const files = readdirSync(messagingDir).filter((file) => file.endsWith('.ts'));
    const found: string[] = [];
    for (const file of files) {
      const module = (await import(/* @vite-ignore */ join(messagingDir, file))) as Record<string, unknown>;
      for (const [exportName, value] of Object.entries(module)) {
        if (isProtocol(value)) found.push(exportName);
      }
    }
    expect(found.sort()).toEqual(Object.keys(PROTOCOLS).sort());
  });

  it.each(protocolRows)('$exportName is named after its export and says its direction', ({ exportName, protocol }) => {
    expect(protocol.name).toBe(exportName);
    expect(protocol.name).toMatch(/^[A-Z][A-Za-z]*To[A-Z][A-Za-z]*$/);
  });

  it('gives every protocol a distinct name (messages of one must never reach another)', () => {
    const names = protocolRows.map(({ protocol }) => protocol.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(protocolRows)('$exportName declares at least one method, each named verb-first in camelCase', ({ protocol }) => {
    const methods = Object.keys(protocol.methods);
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) expect(method).toMatch(/^[a-z][A-Za-z]*$/);
  });

  it.each(methodRows)('$exportName.$method has zod data and result schemas', ({ spec }) => {
    expect(Object.keys(spec as object).sort()).toEqual(['data', 'result']);
    const { data, result } = spec as { data: unknown; result: unknown };
    // Classic (zod) or mini (zod/mini, for content scripts) schemas: both are zod core schemas.
    expect(data).toBeInstanceOf(z.core.$ZodType);
    expect(result).toBeInstanceOf(z.core.$ZodType);
  });

  it.each(methodRows)('$exportName.$method takes one data object', ({ spec }) => {
    const { data } = spec as { data: z.core.$ZodType };
    expect(z.safeParse(data, 'not an object').success).toBe(false);
    expect(z.safeParse(data, undefined).success).toBe(false);
  });
});

describe('engine handlers', () => {
  it('implement exactly the methods of BackgroundToEngine', () => {
    const engine = new Proxy({}, { get: () => vi.fn() }) as unknown as PhoneEngine;
    const handlers = createEngineHandlers(engine);
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(BackgroundToEngine.methods).sort());
    for (const handler of Object.values(handlers)) expect(handler).toBeTypeOf('function');
  });
});

describe('background handlers (lib/background/phone-hub.ts)', () => {
  const source = readFileSync(join(root, 'lib/background/phone-hub.ts'), 'utf8');

  it.each([
    { protocol: PanelToBackground, handlers: 'panelHandlers' },
    { protocol: OptionsToBackground, handlers: 'optionsHandlers' },
    { protocol: EngineToBackground, handlers: 'engineEvents' },
  ])('$handlers handles exactly the methods of $protocol.name', ({ protocol, handlers }) => {
    expect(objectLiteralKeys(source, handlers)).toEqual(Object.keys(protocol.methods).sort());
  });

  it.each([
    { protocol: 'PanelToBackground', handlers: 'panelHandlers' },
    { protocol: 'OptionsToBackground', handlers: 'optionsHandlers' },
  ])('listens for $protocol with $handlers and checks the sender', ({ protocol, handlers }) => {
    expect(source).toMatch(
      new RegExp(`createHandler\\(${protocol}, ${handlers}, \\{\\s*isAllowedSender: \\(sender\\) => isOwnExtensionPage\\(`),
    );
  });
});

describe('click-to-call handlers', () => {
  const hub = readFileSync(join(root, 'lib/background/click-to-call-hub.ts'), 'utf8');
  const content = readFileSync(join(root, 'lib/content/click-to-call-content.ts'), 'utf8');

  it('the background handles exactly the methods of ContentToBackground, for content scripts only', () => {
    expect(objectLiteralKeys(hub, 'handlers')).toEqual(Object.keys(ContentToBackground.methods).sort());
    expect(hub).toMatch(/createHandler\(ContentToBackground, handlers, \{ isAllowedSender: isContentScriptSender \}\)/);
  });

  it('the content script handles exactly the methods of BackgroundToContent, from the background only', () => {
    expect(objectLiteralKeys(content, 'handlers')).toEqual(Object.keys(BackgroundToContent.methods).sort());
    expect(content).toMatch(/createHandler\(BackgroundToContent, handlers, \{[^}]*isAllowedSender:/);
  });
});
