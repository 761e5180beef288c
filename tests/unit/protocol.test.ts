import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import {
  createClient,
  createHandler,
  defineProtocol,
  RemoteError,
  type Envelope,
  type Handlers,
  type Reply,
} from '@/lib/messaging/protocol';
import { listenRuntimeMessages, type RuntimeSender } from '@/lib/messaging/runtime-transport';
import { InvalidMessageError, NotFoundError } from '@/lib/util/exception';

interface TestSender {
  trusted: boolean;
}

const TestToHost = defineProtocol('TestToHost', {
  add: { data: z.object({ a: z.number(), b: z.number() }), result: z.object({ sum: z.number() }) },
  greet: { data: z.object({ name: z.string().trim().min(1) }), result: z.string() },
  explode: { data: z.object({}), result: z.null() },
  misbehave: { data: z.object({}), result: z.object({ count: z.number().int() }) },
});
type Methods = (typeof TestToHost)['methods'];

const OtherToHost = defineProtocol('OtherToHost', {
  add: { data: z.object({ a: z.number(), b: z.number() }), result: z.object({ sum: z.number() }) },
});

function setup(overrides: Partial<Handlers<Methods, TestSender>> = {}) {
  const handlers = {
    add: vi.fn(({ a, b }: { a: number; b: number }) => ({ sum: a + b })),
    greet: vi.fn(async ({ name }: { name: string }) => `hello ${name}`),
    explode: vi.fn((): null => {
      throw new NotFoundError('no such call: 42');
    }),
    misbehave: vi.fn(() => ({ count: 'many' }) as unknown as { count: number }),
    ...overrides,
  } satisfies Handlers<Methods, TestSender>;
  const isAllowedSender = vi.fn((sender: TestSender) => sender.trusted);
  const handle = createHandler(TestToHost, handlers, { isAllowedSender });
  let sender: TestSender = { trusted: true };
  const send = vi.fn(async (envelope: Envelope) => handle(structuredClone(envelope), sender));
  const client = createClient(TestToHost, send);
  return {
    handlers,
    handle,
    send,
    client,
    isAllowedSender,
    actAs: (next: TestSender) => {
      sender = next;
    },
  };
}

/** Handlers for the runtime transport, whose sender is a `runtime.MessageSender`. */
const runtimeHandlers = (): Handlers<Methods, RuntimeSender> => ({
  add: ({ a, b }) => ({ sum: a + b }),
  greet: ({ name }) => `hello ${name}`,
  explode: () => null,
  misbehave: () => ({ count: 1 }),
});

const envelope = (method: string, data: unknown, protocol = 'TestToHost'): Envelope => ({ protocol, method, data });

beforeEach(() => {
  fakeBrowser.reset();
});

describe('createClient and createHandler', () => {
  it('carries a call from the client to its handler and the result back', async () => {
    const { client, handlers, send } = setup();
    await expect(client.add({ a: 2, b: 3 })).resolves.toEqual({ sum: 5 });
    expect(send).toHaveBeenCalledWith({ protocol: 'TestToHost', method: 'add', data: { a: 2, b: 3 } });
    expect(handlers.add).toHaveBeenCalledWith({ a: 2, b: 3 }, { trusted: true });
  });

  it('hands the handler the parsed data, transforms applied', async () => {
    const { client, handlers } = setup();
    await expect(client.greet({ name: '  Alice  ' })).resolves.toBe('hello Alice');
    expect(handlers.greet).toHaveBeenCalledWith({ name: 'Alice' }, expect.anything());
  });

  it('refuses to send data that does not match the schema', async () => {
    const { client, send } = setup();
    await expect(client.add({ a: 2, b: 'three' } as unknown as { a: number; b: number })).rejects.toThrow();
    expect(send).not.toHaveBeenCalled();
  });

  it.each([
    { method: 'add', data: { a: 2, b: 'three' } },
    { method: 'add', data: { a: 2 } },
    { method: 'add', data: null },
    { method: 'add', data: undefined },
    { method: 'greet', data: { name: '   ' } },
    { method: 'greet', data: 'Alice' },
  ])('answers $method with InvalidMessageError for data $data, without calling the handler', async ({ method, data }) => {
    const { handle, handlers } = setup();
    const reply = await handle(envelope(method, data), { trusted: true });
    expect(reply).toMatchObject({ ok: false, error: { name: 'InvalidMessageError' } });
    expect(reply).toHaveProperty('error.message', expect.stringContaining(`TestToHost.${method}`));
    expect(handlers.add).not.toHaveBeenCalled();
    expect(handlers.greet).not.toHaveBeenCalled();
  });

  it.each(['subtract', 'toString', 'constructor', '__proto__', 'hasOwnProperty', ''])(
    'answers an unknown method %j with InvalidMessageError',
    async (method) => {
      const { handle } = setup();
      const reply = await handle(envelope(method, {}), { trusted: true });
      expect(reply).toEqual({
        ok: false,
        error: { name: 'InvalidMessageError', message: `TestToHost: unknown method ${method}` },
      });
    },
  );

  it('answers a sender it does not allow with ForbiddenSenderError, before looking at the data', async () => {
    const { handle, handlers, isAllowedSender } = setup();
    const intruder = { trusted: false };
    for (const message of [envelope('add', { a: 1, b: 2 }), envelope('add', 'junk'), envelope('nope', {})]) {
      const reply = await handle(message, intruder);
      expect(reply).toMatchObject({ ok: false, error: { name: 'ForbiddenSenderError' } });
    }
    expect(isAllowedSender).toHaveBeenCalledWith(intruder);
    expect(handlers.add).not.toHaveBeenCalled();
  });

  it('rejects the client call of a forbidden sender with a RemoteError', async () => {
    const { client, actAs, handlers } = setup();
    actAs({ trusted: false });
    const error = await client.add({ a: 1, b: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ name: 'RemoteError', remoteName: 'ForbiddenSenderError' });
    expect(handlers.add).not.toHaveBeenCalled();
  });

  it.each([
    { what: 'another protocol', message: envelope('add', { a: 1, b: 2 }, 'OtherToHost') },
    { what: 'an envelope without a method', message: { protocol: 'TestToHost', data: {} } },
    { what: 'an envelope with a numeric method', message: { protocol: 'TestToHost', method: 1, data: {} } },
    { what: 'undefined', message: undefined },
    { what: 'null', message: null },
    { what: 'a string', message: 'TestToHost.add' },
    { what: 'a number', message: 42 },
    { what: 'an array', message: ['TestToHost', 'add', {}] },
  ])('leaves $what to other listeners (returns undefined, not a promise)', ({ message }) => {
    const { handle, handlers, isAllowedSender } = setup();
    expect(handle(message, { trusted: true })).toBeUndefined();
    expect(handle(message, { trusted: false })).toBeUndefined();
    expect(isAllowedSender).not.toHaveBeenCalled();
    expect(handlers.add).not.toHaveBeenCalled();
  });

  it('rethrows what the handler threw as a RemoteError carrying its name and message', async () => {
    const { client } = setup();
    const error = await client.explode({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ remoteName: 'NotFoundError', message: 'no such call: 42' });
  });

  it('reports a rejected promise and a thrown non-Error alike', async () => {
    const { client } = setup({
      explode: () => {
        throw 'plain string';
      },
      greet: () => Promise.reject(new TypeError('bad greeting')),
    });
    await expect(client.explode({})).rejects.toMatchObject({ remoteName: 'Error', message: 'plain string' });
    await expect(client.greet({ name: 'x' })).rejects.toMatchObject({
      remoteName: 'TypeError',
      message: 'bad greeting',
    });
  });

  it('does not let a handler answer with a value outside the result schema', async () => {
    const { handle, client } = setup();
    const reply = await handle(envelope('misbehave', {}), { trusted: true });
    expect(reply?.ok).toBe(false);
    expect(JSON.stringify(reply)).not.toContain('"value"');
    await expect(client.misbehave({})).rejects.toBeInstanceOf(RemoteError);
  });

  it.each([
    { what: 'no reply (no listener answered)', raw: undefined },
    { what: 'a bare value', raw: { sum: 3 } },
    { what: 'an error without a name', raw: { ok: false, error: { message: 'x' } } },
  ])('rejects with InvalidMessageError on the client for $what', async ({ raw }) => {
    const client = createClient(TestToHost, async () => raw);
    await expect(client.add({ a: 1, b: 2 })).rejects.toBeInstanceOf(InvalidMessageError);
  });

  it('validates the value of a successful reply on the client too', async () => {
    const client = createClient(TestToHost, async (): Promise<Reply> => ({ ok: true, value: { sum: 'three' } }));
    await expect(client.add({ a: 1, b: 2 })).rejects.toThrow();
  });

  it('gives each method of the protocol a client function, and nothing else', () => {
    const { client } = setup();
    expect(Object.keys(client).sort()).toEqual(Object.keys(TestToHost.methods).sort());
  });

  it('lets two protocols share runtime.onMessage, each answering only its own messages', async () => {
    const addHere = vi.fn(({ a, b }: { a: number; b: number }) => ({ sum: a + b }));
    const addThere = vi.fn(({ a, b }: { a: number; b: number }) => ({ sum: a * b }));
    const allowAll = { isAllowedSender: () => true };
    listenRuntimeMessages(createHandler(TestToHost, { ...runtimeHandlers(), add: addHere }, allowAll));
    listenRuntimeMessages(createHandler(OtherToHost, { add: addThere }, allowAll));

    const answers = await fakeBrowser.runtime.onMessage.trigger(envelope('add', { a: 2, b: 5 }, 'OtherToHost'), {}, () => {});
    expect(answers).toEqual([undefined, { ok: true, value: { sum: 10 } }]);
    expect(addThere).toHaveBeenCalledTimes(1);
    expect(addHere).not.toHaveBeenCalled();
  });

  it('stops answering once the runtime listener is removed', () => {
    const stop = listenRuntimeMessages(createHandler(TestToHost, runtimeHandlers(), { isAllowedSender: () => true }));
    expect(fakeBrowser.runtime.onMessage.hasListeners()).toBe(true);
    stop();
    expect(fakeBrowser.runtime.onMessage.hasListeners()).toBe(false);
  });
});
