import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { callHandlingFor } from '@/lib/background/call-handling-settings';
import { AutoAnswerScheduler } from '@/lib/phone/auto-answer-scheduler';
import { decideIncoming, DEFAULT_CALL_HANDLING, type CallHandling } from '@/lib/phone/call-handling';
import { intercomDelaySeconds } from '@/lib/phone/intercom-hint';
import { DEFAULT_SETTINGS, type Account } from '@/lib/settings/settings-schema';

beforeEach(() => {
  fakeBrowser.reset();
});

const handling = (over: Partial<CallHandling> = {}): CallHandling => ({ ...DEFAULT_CALL_HANDLING, ...over });
const alone = { accountId: 'a1', otherCallUp: false };

interface DecisionRow {
  what: string;
  set: Partial<CallHandling>;
  facts: Parameters<typeof decideIncoming>[1];
  expected: ReturnType<typeof decideIncoming>;
}

describe('decideIncoming', () => {
  it.each<DecisionRow>([
    { what: 'nothing set', set: {}, facts: alone, expected: { action: 'ring' } },
    { what: 'DND with 486', set: { doNotDisturb: true }, facts: alone, expected: { action: 'refuse', code: 486 } },
    { what: 'DND with 480', set: { doNotDisturb: true, dndResponse: 480 as const }, facts: alone, expected: { action: 'refuse', code: 480 } },
    {
      what: 'DND with a redirect for the account',
      set: { doNotDisturb: true, dndResponse: 302 as const, dndRedirect: { a1: 'sip:*97@pbx.example.org' } },
      facts: alone,
      expected: { action: 'refuse', code: 302, contact: 'sip:*97@pbx.example.org' },
    },
    {
      what: 'DND with a redirect but none for this account (486, not a 302 to nowhere)',
      set: { doNotDisturb: true, dndResponse: 302 as const, dndRedirect: { other: 'sip:*97@pbx.example.org' } },
      facts: alone,
      expected: { action: 'refuse', code: 486 },
    },
    {
      what: 'DND beats auto-answer and an intercom hint',
      set: { doNotDisturb: true, autoAnswer: true, intercom: true },
      facts: { ...alone, intercomDelaySeconds: 0 },
      expected: { action: 'refuse', code: 486 },
    },
    { what: 'auto-answer after 3 s', set: { autoAnswer: true }, facts: alone, expected: { action: 'ring', autoAnswerMs: 3000 } },
    {
      what: 'auto-answer at once',
      set: { autoAnswer: true, autoAnswerDelaySeconds: 0 },
      facts: alone,
      expected: { action: 'ring', autoAnswerMs: 0 },
    },
    { what: 'auto-answer while another call is up', set: { autoAnswer: true }, facts: { ...alone, otherCallUp: true }, expected: { action: 'ring' } },
    {
      what: 'an intercom hint the agent did not allow',
      set: {},
      facts: { ...alone, intercomDelaySeconds: 0 },
      expected: { action: 'ring' },
    },
    {
      what: 'an allowed intercom hint',
      set: { intercom: true },
      facts: { ...alone, intercomDelaySeconds: 0 },
      expected: { action: 'ring', autoAnswerMs: 0 },
    },
    {
      what: 'an allowed intercom hint shorter than the agent’s delay',
      set: { intercom: true, autoAnswer: true, autoAnswerDelaySeconds: 5 },
      facts: { ...alone, intercomDelaySeconds: 1 },
      expected: { action: 'ring', autoAnswerMs: 1000 },
    },
    {
      what: 'an allowed intercom hint while another call is up',
      set: { intercom: true },
      facts: { ...alone, otherCallUp: true, intercomDelaySeconds: 0 },
      expected: { action: 'ring' },
    },
  ])('$what', ({ set, facts, expected }) => {
    expect(decideIncoming(handling(set), facts)).toEqual(expected);
  });
});

describe('intercomDelaySeconds', () => {
  const none = { answerMode: [], callInfo: [], alertInfo: [] };
  it.each([
    { what: 'no hint', headers: none, expected: undefined },
    { what: 'Call-Info answer-after=0 (Asterisk, Polycom)', headers: { ...none, callInfo: ['<sip:pbx>;answer-after=0'] }, expected: 0 },
    { what: 'Call-Info answer-after=2', headers: { ...none, callInfo: ['<uri>; Answer-After = 2'] }, expected: 2 },
    { what: 'a Call-Info without answer-after', headers: { ...none, callInfo: ['<http://x/photo.jpg>;purpose=icon'] }, expected: undefined },
    { what: 'Alert-Info info=alert-autoanswer', headers: { ...none, alertInfo: ['<http://127.0.0.1>;info=alert-autoanswer'] }, expected: 0 },
    { what: 'Alert-Info auto-answer with a delay', headers: { ...none, alertInfo: ['<x>;info=auto-answer;delay=3'] }, expected: 3 },
    { what: 'Alert-Info intercom', headers: { ...none, alertInfo: ['info=intercom'] }, expected: 0 },
    { what: 'a ring-tone Alert-Info', headers: { ...none, alertInfo: ['<http://x/ring.wav>'] }, expected: undefined },
    { what: 'Answer-Mode: Auto (RFC 5373)', headers: { ...none, answerMode: ['Auto'] }, expected: 0 },
    { what: 'Answer-Mode: Manual', headers: { ...none, answerMode: ['Manual'] }, expected: undefined },
    { what: 'a long answer-after, capped like the setting', headers: { ...none, callInfo: ['<x>;answer-after=60'] }, expected: 10 },
    {
      what: 'several hints: the shortest',
      headers: { answerMode: [], callInfo: ['<x>;answer-after=5'], alertInfo: ['info=alert-autoanswer'] },
      expected: 0,
    },
  ])('$what → $expected', ({ headers, expected }) => {
    expect(intercomDelaySeconds(headers)).toBe(expected);
  });
});

describe('callHandlingFor', () => {
  const account = (id: string, sipUri: string): Account => ({
    id,
    enabled: true,
    wsServer: 'wss://pbx.example.org/ws',
    sipUri,
    authUser: '',
    password: 'x',
    displayName: '',
    iceServers: [],
    recording: 'off',
    recordingNotice: false,
    dtmfMethod: 'rfc4733',
  });
  const settings = {
    ...DEFAULT_SETTINGS,
    accounts: [account('a1', '101@pbx.example.org'), account('a2', '7@other.example.com:5070')],
  };

  it('puts the redirect target in each account’s domain, read like a dialled number', () => {
    expect(callHandlingFor({ ...settings, dndResponse: 302, dndRedirectTarget: '*97' }, true)).toEqual({
      doNotDisturb: true,
      dndResponse: 302,
      dndRedirect: { a1: 'sip:*97@pbx.example.org', a2: 'sip:*97@other.example.com:5070' },
      autoAnswer: false,
      autoAnswerDelaySeconds: 3,
      intercom: false,
    });
    expect(callHandlingFor({ ...settings, dndResponse: 302, dndRedirectTarget: '8 916 123-45-67' }, true).dndRedirect.a1).toBe(
      'sip:+79161234567@pbx.example.org',
    );
    expect(
      callHandlingFor({ ...settings, dndResponse: 302, dndRedirectTarget: 'sip:vm@voicemail.example.org' }, true).dndRedirect,
    ).toEqual({ a1: 'sip:vm@voicemail.example.org', a2: 'sip:vm@voicemail.example.org' });
  });

  it('leaves the accounts without a redirect when the target cannot be read (the engine answers 486)', () => {
    const result = callHandlingFor({ ...settings, dndResponse: 302, dndRedirectTarget: 'voicemail please' }, true);
    expect(result.dndRedirect).toEqual({});
    expect(decideIncoming(result, alone)).toEqual({ action: 'refuse', code: 486 });
  });

  it('carries auto-answer and the intercom option', () => {
    const result = callHandlingFor({ ...settings, autoAnswer: true, autoAnswerDelaySeconds: 0, intercomAutoAnswer: true }, false);
    expect(result).toMatchObject({ doNotDisturb: false, autoAnswer: true, autoAnswerDelaySeconds: 0, intercom: true });
  });
});

describe('AutoAnswerScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers once the delay is over and says when it will', () => {
    const fire = vi.fn();
    const scheduler = new AutoAnswerScheduler(fire);
    scheduler.schedule('c1', 2000);
    expect(scheduler.at('c1')).toBe(1_002_000);
    vi.advanceTimersByTime(1999);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledExactlyOnceWith('c1');
    expect(scheduler.at('c1')).toBeUndefined();
  });

  it('cancels one call, or all, and reports whether there was something to cancel', () => {
    const fire = vi.fn();
    const scheduler = new AutoAnswerScheduler(fire);
    scheduler.schedule('c1', 1000);
    scheduler.schedule('c2', 1000);
    expect(scheduler.cancel('c1')).toBe(true);
    expect(scheduler.cancel('c1')).toBe(false);
    scheduler.cancelAll();
    vi.advanceTimersByTime(5000);
    expect(fire).not.toHaveBeenCalled();
  });

  it('a new schedule of the same call replaces the old one', () => {
    const fire = vi.fn();
    const scheduler = new AutoAnswerScheduler(fire);
    scheduler.schedule('c1', 1000);
    scheduler.schedule('c1', 3000);
    vi.advanceTimersByTime(2000);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(fire).toHaveBeenCalledTimes(1);
  });
});
