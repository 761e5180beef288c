import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createEngineHandlers } from '@/lib/engine/engine-handlers';
import { BackgroundToEngine } from '@/lib/messaging/background-to-engine';
import { createClient, createHandler, RemoteError } from '@/lib/messaging/protocol';
import type { PhoneEngine } from '@/lib/phone/phone-engine';
import { EMPTY_SNAPSHOT, type ConnectionTestResult, type PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';
import { AccountSchema, DEFAULT_AUDIO_SETTINGS, type AccountInput } from '@/lib/settings/settings-schema';
import { NotFoundError } from '@/lib/util/exception';
import { MessageSendError } from '@/lib/phone/message-failure';

const SNAPSHOT: PhoneSnapshot = {
  ...EMPTY_SNAPSHOT,
  seq: 7,
  engineId: 'engine-1',
  accounts: [{ accountId: 'a1', aor: '101@pbx.example.com', state: RegistrationState.Registered, attempts: 0 }],
};

const TEST_RESULT: ConnectionTestResult = { ok: false, failure: 'auth-rejected', detail: 'SIP 403 Forbidden', elapsedMs: 120 };

const ACCOUNT_INPUT: AccountInput = {
  id: 'a1',
  wsServer: 'wss://pbx.example.com:8089/ws',
  sipUri: 'sip:101@pbx.example.com',
  password: 'secret',
};
const ACCOUNT = AccountSchema.parse(ACCOUNT_INPUT);

/** A stand-in for the engine that records calls; only the methods the handlers use. */
function fakeEngine() {
  return {
    configure: vi.fn(async () => SNAPSHOT),
    setAudioSettings: vi.fn(),
    snapshot: vi.fn(() => SNAPSHOT),
    placeCall: vi.fn(async () => 'call-1'),
    answer: vi.fn(async () => ({ notHeld: [] as { callId: string; code?: number }[] })),
    hangupAndAnswer: vi.fn(async () => ({ notHeld: [] as { callId: string; code?: number }[] })),
    swapCalls: vi.fn(async () => {}),
    mergeCalls: vi.fn(async () => {}),
    splitConference: vi.fn(async () => {}),
    cancelAutoAnswer: vi.fn(),
    decline: vi.fn(),
    hangup: vi.fn(),
    setMute: vi.fn(),
    retry: vi.fn(),
    checkMicrophone: vi.fn(async () => {}),
    testConnection: vi.fn(async () => TEST_RESULT),
    sendMessage: vi.fn(async (): Promise<string> => 'msg-call-id'),
  };
}
type FakeEngine = ReturnType<typeof fakeEngine>;

function setup() {
  const engine = fakeEngine();
  const handlers = createEngineHandlers<undefined>(engine as unknown as PhoneEngine);
  // Through the real protocol too, so what a handler returns is checked against the result schema.
  const handle = createHandler(BackgroundToEngine, handlers, { isAllowedSender: () => true });
  const client = createClient(BackgroundToEngine, async (envelope) => handle(structuredClone(envelope), undefined));
  return { engine, handlers, client };
}

/** Which fake engine methods were called, by name. */
const calledMethods = (engine: FakeEngine): string[] =>
  Object.entries(engine)
    .filter(([, fn]) => fn.mock.calls.length > 0)
    .map(([name]) => name);

beforeEach(() => {
  fakeBrowser.reset();
});

describe('createEngineHandlers', () => {
  it('configures the engine with the accounts and ringback region and returns its snapshot', async () => {
    const { engine, client } = setup();
    await expect(client.configure({ accounts: [ACCOUNT_INPUT], ringbackRegion: 'RU' })).resolves.toEqual(SNAPSHOT);
    expect(engine.configure).toHaveBeenCalledExactlyOnceWith([ACCOUNT], 'RU');
    // A background that sends no audio settings gets the defaults applied.
    expect(engine.setAudioSettings).toHaveBeenCalledExactlyOnceWith(DEFAULT_AUDIO_SETTINGS);
    expect(calledMethods(engine)).toEqual(['configure', 'setAudioSettings']);
  });

  it('passes the audio settings to the engine before the accounts', async () => {
    const { engine, client } = setup();
    const audio = { ...DEFAULT_AUDIO_SETTINGS, microphone: { deviceId: 'mic-2', label: 'USB Headset' }, ringVolume: 35 };
    await client.configure({ accounts: [ACCOUNT_INPUT], ringbackRegion: 'RU', audio });
    expect(engine.setAudioSettings).toHaveBeenCalledExactlyOnceWith(audio);
    expect(engine.setAudioSettings.mock.invocationCallOrder[0]).toBeLessThan(engine.configure.mock.invocationCallOrder[0]!);
  });

  it('passes Do not disturb and auto-answer to the engine with the accounts', async () => {
    const { engine, client } = setup();
    const callHandling = {
      doNotDisturb: true,
      dndResponse: 302 as const,
      dndRedirect: { a1: 'sip:*97@pbx.example.com' },
      autoAnswer: true,
      autoAnswerDelaySeconds: 2,
      intercom: false,
    };
    await client.configure({ accounts: [ACCOUNT_INPUT], ringbackRegion: 'RU', callHandling });
    expect(engine.configure).toHaveBeenCalledExactlyOnceWith([ACCOUNT], 'RU', callHandling);
  });

  it('refuses a redirect that is not a SIP URI, and an auto-answer delay out of range', async () => {
    const { engine, client } = setup();
    const base = { doNotDisturb: true, dndResponse: 302 as const, dndRedirect: {}, autoAnswer: false, autoAnswerDelaySeconds: 3, intercom: false };
    await expect(
      client.configure({ accounts: [], ringbackRegion: 'RU', callHandling: { ...base, dndRedirect: { a1: 'voicemail' } } }),
    ).rejects.toThrow();
    await expect(
      client.configure({ accounts: [], ringbackRegion: 'RU', callHandling: { ...base, autoAnswerDelaySeconds: 11 } }),
    ).rejects.toThrow();
    expect(engine.configure).not.toHaveBeenCalled();
  });

  it('returns the current snapshot', async () => {
    const { engine, client } = setup();
    await expect(client.getSnapshot({})).resolves.toEqual(SNAPSHOT);
    expect(engine.snapshot).toHaveBeenCalledExactlyOnceWith();
    expect(calledMethods(engine)).toEqual(['snapshot']);
  });

  it('places a call and returns the new call id', async () => {
    const { engine, client } = setup();
    await expect(
      client.placeCall({ accountId: 'a1', target: 'sip:+79161234567@pbx.example.com', displayTarget: '+7 916 123 45 67' }),
    ).resolves.toEqual({ callId: 'call-1' });
    expect(engine.placeCall).toHaveBeenCalledExactlyOnceWith('a1', 'sip:+79161234567@pbx.example.com', '+7 916 123 45 67');
    expect(calledMethods(engine)).toEqual(['placeCall']);
  });

  it.each([
    { method: 'answer', data: { callId: 'c1' }, engineMethod: 'answer', args: ['c1'] },
    { method: 'cancelAutoAnswer', data: { callId: 'c1' }, engineMethod: 'cancelAutoAnswer', args: ['c1'] },
    { method: 'decline', data: { callId: 'c1', code: 486 }, engineMethod: 'decline', args: ['c1', 486] },
    { method: 'decline', data: { callId: 'c1', code: 603 }, engineMethod: 'decline', args: ['c1', 603] },
    { method: 'hangup', data: { callId: 'c1' }, engineMethod: 'hangup', args: ['c1'] },
    { method: 'setMute', data: { callId: 'c1', muted: true }, engineMethod: 'setMute', args: ['c1', true] },
    { method: 'setMute', data: { callId: 'c1', muted: false }, engineMethod: 'setMute', args: ['c1', false] },
    { method: 'retry', data: { accountId: 'a1' }, engineMethod: 'retry', args: ['a1'] },
    { method: 'retry', data: {}, engineMethod: 'retry', args: [undefined] },
    { method: 'checkMicrophone', data: {}, engineMethod: 'checkMicrophone', args: [] },
    { method: 'swapCalls', data: {}, engineMethod: 'swapCalls', args: [] },
    { method: 'mergeCalls', data: {}, engineMethod: 'mergeCalls', args: [] },
    { method: 'splitConference', data: { keepCallId: 'c2' }, engineMethod: 'splitConference', args: ['c2'] },
  ] as const)('$method($data) calls engine.$engineMethod with $args and returns null', async (row) => {
    const { method, data, engineMethod, args } = row;
    const { engine, client } = setup();
    const call = client[method] as (data: unknown) => Promise<unknown>;
    await expect(call(data)).resolves.toBeNull();
    expect(engine[engineMethod]).toHaveBeenCalledExactlyOnceWith(...args);
    expect(calledMethods(engine)).toEqual([engineMethod]);
  });

  it.each([
    { method: 'answerAndHold', engineMethod: 'answer' },
    { method: 'hangupAndAnswer', engineMethod: 'hangupAndAnswer' },
  ] as const)('$method answers through engine.$engineMethod and says which call could not be held', async (row) => {
    const { engine, client } = setup();
    engine[row.engineMethod].mockResolvedValueOnce({ notHeld: [{ callId: 'c1', code: 488 }] });
    await expect(client[row.method]({ callId: 'c2' })).resolves.toEqual({ notHeld: [{ callId: 'c1', code: 488 }] });
    expect(engine[row.engineMethod]).toHaveBeenCalledExactlyOnceWith('c2');
    expect(calledMethods(engine)).toEqual([row.engineMethod]);
  });

  it('answers only once the engine has answered (after holding the other call)', async () => {
    const { engine, handlers } = setup();
    let finish!: (value: { notHeld: [] }) => void;
    engine.answer.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
    let settled = false;
    const reply = Promise.resolve(handlers.answer({ callId: 'c2' }, undefined)).then(() => (settled = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    finish({ notHeld: [] });
    await reply;
    expect(settled).toBe(true);
  });

  it('sends a text message and returns its Call-ID', async () => {
    const { engine, client } = setup();
    await expect(client.sendMessage({ accountId: 'a1', target: 'sip:1002@pbx.example.com', body: 'Привет' })).resolves.toEqual({
      messageId: 'msg-call-id',
    });
    expect(engine.sendMessage).toHaveBeenCalledExactlyOnceWith('a1', 'sip:1002@pbx.example.com', 'Привет');
  });

  it('answers a refused message with its failure, so the reason crosses the boundary typed', async () => {
    const { engine, client } = setup();
    engine.sendMessage.mockRejectedValueOnce(new MessageSendError('unavailable', 'SIP 480 Temporarily Unavailable', 'id-1'));
    await expect(client.sendMessage({ accountId: 'a1', target: 'sip:1003@pbx.example.com', body: 'x' })).resolves.toEqual({
      messageId: 'id-1',
      failure: 'unavailable',
      detail: 'SIP 480 Temporarily Unavailable',
    });
  });

  it('rejects a message to something that is not a SIP URI before it reaches the engine', async () => {
    const { engine, client } = setup();
    await expect(client.sendMessage({ accountId: 'a1', target: '1002', body: 'x' })).rejects.toThrow();
    expect(engine.sendMessage).not.toHaveBeenCalled();
  });

  it('tests a connection with the given account and returns the outcome', async () => {
    const { engine, client } = setup();
    await expect(client.testConnection({ account: ACCOUNT_INPUT })).resolves.toEqual(TEST_RESULT);
    expect(engine.testConnection).toHaveBeenCalledExactlyOnceWith(ACCOUNT);
    expect(calledMethods(engine)).toEqual(['testConnection']);
  });

  it('answers checkMicrophone only once the engine has checked', async () => {
    const { engine, handlers } = setup();
    let finish!: () => void;
    engine.checkMicrophone.mockReturnValueOnce(new Promise<void>((resolve) => (finish = resolve)));
    let settled = false;
    const reply = Promise.resolve(handlers.checkMicrophone({}, undefined)).then((value) => {
      settled = true;
      return value;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    finish();
    await expect(reply).resolves.toBeNull();
  });

  it('passes an engine error back to the background by name', async () => {
    const { engine, client } = setup();
    engine.hangup.mockImplementationOnce(() => {
      throw new NotFoundError('no call c9');
    });
    const error = await client.hangup({ callId: 'c9' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ remoteName: 'NotFoundError', message: 'no call c9' });
  });

  it('passes a failed microphone check back too', async () => {
    const { engine, client } = setup();
    engine.checkMicrophone.mockRejectedValueOnce(new Error('permissions API gone'));
    await expect(client.checkMicrophone({})).rejects.toMatchObject({ remoteName: 'Error', message: 'permissions API gone' });
  });

  it.each([
    {
      method: 'placeCall',
      data: { accountId: 'a1', target: '+79161234567', displayTarget: 'x' },
      why: 'a target that is not a SIP URI',
    },
    { method: 'decline', data: { callId: 'c1', code: 404 }, why: 'a decline code other than 486/603' },
    { method: 'answer', data: { callId: '' }, why: 'an empty call id' },
    { method: 'setMute', data: { callId: 'c1', muted: 'yes' }, why: 'a non-boolean mute' },
    { method: 'splitConference', data: { keepCallId: '' }, why: 'a split without the call to keep' },
  ])('never reaches the engine with $why', async ({ method, data }) => {
    const engine = fakeEngine();
    const handle = createHandler(BackgroundToEngine, createEngineHandlers(engine as unknown as PhoneEngine), {
      isAllowedSender: () => true,
    });
    const reply = await handle({ protocol: 'BackgroundToEngine', method, data }, undefined);
    expect(reply).toMatchObject({ ok: false, error: { name: 'InvalidMessageError' } });
    expect(calledMethods(engine)).toEqual([]);
  });
});
