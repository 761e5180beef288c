import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { badgeFor, showBadge } from '@/lib/background/badge';
import { setLocale } from '@/lib/i18n/i18n';
import { CallState } from '@/lib/phone/call-state';
import { HoldState } from '@/lib/phone/hold-state';
import {
  EMPTY_SNAPSHOT,
  type AccountStatus,
  type CallSnapshot,
  type PhoneSnapshot,
  type RegistrationFailure,
} from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';

const GREEN = '#2e7d32';
const RED = '#c62828';
const AMBER = '#f9a825';
const BLUE = '#1565c0';
const GREY = '#757575';

function account(state: RegistrationState, extra: Partial<AccountStatus> = {}): AccountStatus {
  return { accountId: 'a1', aor: '101@pbx.example.com', state, attempts: 0, ...extra };
}

function call(state: CallState, id = `call-${state}`): CallSnapshot {
  return {
    id,
    accountId: 'a1',
    direction: state === CallState.Incoming || state === CallState.Answering ? 'inbound' : 'outbound',
    remoteUri: 'sip:+79161234567@pbx.example.com',
    remoteNumber: '+79161234567',
    state,
    muted: false,
    startedAt: 1_700_000_000_000,
  };
}

function snapshot(accounts: AccountStatus[], calls: CallSnapshot[] = []): PhoneSnapshot {
  return { ...EMPTY_SNAPSHOT, seq: 1, engineId: 'engine-1', accounts, calls };
}

/** Badge text per registration state of the first account, when there are no calls. */
const BY_REGISTRATION: Record<RegistrationState, { text: string; color: string; title: string }> = {
  [RegistrationState.Idle]: { text: '…', color: AMBER, title: 'Softphone: connecting…' },
  [RegistrationState.Connecting]: { text: '…', color: AMBER, title: 'Softphone: connecting…' },
  [RegistrationState.Registering]: { text: '…', color: AMBER, title: 'Softphone: connecting…' },
  [RegistrationState.Registered]: { text: 'ON', color: GREEN, title: 'Softphone: ready (101@pbx.example.com)' },
  [RegistrationState.Waiting]: {
    text: '!',
    color: RED,
    title: 'Softphone: not registered — The connection to the SIP server was lost.',
  },
  [RegistrationState.Failed]: {
    text: '!',
    color: RED,
    title: 'Softphone: not registered — The connection to the SIP server was lost.',
  },
  [RegistrationState.Unregistering]: { text: '…', color: AMBER, title: 'Softphone: connecting…' },
};

beforeEach(() => {
  fakeBrowser.reset();
  setLocale('en');
});

afterEach(() => {
  setLocale(undefined);
});

describe('badgeFor', () => {
  it('has an expectation for every registration state', () => {
    expect(Object.keys(BY_REGISTRATION).sort()).toEqual(Object.values(RegistrationState).sort());
  });

  it.each(Object.values(RegistrationState))('shows the first account being %s', (state) => {
    expect(badgeFor(snapshot([account(state, { failure: 'connection-lost' })]))).toEqual(BY_REGISTRATION[state]);
  });

  it.each([
    { failure: 'auth-rejected', reason: 'The server rejected the user name or password.' },
    { failure: 'unreachable', reason: 'Cannot reach the SIP server.' },
    { failure: 'offline', reason: 'This computer is offline.' },
  ] satisfies { failure: RegistrationFailure; reason: string }[])(
    'explains a failed registration ($failure) in the tooltip',
    ({ failure, reason }) => {
      const look = badgeFor(snapshot([account(RegistrationState.Failed, { failure })]));
      expect(look.text).toBe('!');
      expect(look.title).toContain(reason);
      expect(look.title).not.toContain('{');
    },
  );

  it('leaves no placeholder in the tooltip when a failure has no category', () => {
    const look = badgeFor(snapshot([account(RegistrationState.Failed)]));
    expect(look).toMatchObject({ text: '!', color: RED });
    expect(look.title).not.toMatch(/[{}]|failure\./);
  });

  it('shows that no account is configured', () => {
    expect(badgeFor(snapshot([]))).toEqual({ text: '', color: GREY, title: 'Softphone: no SIP account configured' });
    expect(badgeFor(EMPTY_SNAPSHOT).text).toBe('');
  });

  it('follows the first account only', () => {
    const accounts = [
      account(RegistrationState.Failed, { failure: 'timeout' }),
      account(RegistrationState.Registered, { accountId: 'a2' }),
    ];
    expect(badgeFor(snapshot(accounts)).text).toBe('!');
    expect(badgeFor(snapshot([...accounts].reverse())).text).toBe('ON');
  });

  it.each([CallState.Dialing, CallState.Ringing, CallState.Answering, CallState.Established, CallState.Ending])(
    'shows a call in state %s, whatever the registration',
    (state) => {
      for (const registration of Object.values(RegistrationState)) {
        expect(badgeFor(snapshot([account(registration)], [call(state)]))).toEqual({
          text: 'CALL',
          color: BLUE,
          title: 'Softphone: in a call',
        });
      }
      expect(badgeFor(snapshot([], [call(state)])).text).toBe('CALL');
    },
  );

  it.each([
    { what: 'alone', calls: [call(CallState.Incoming)], title: 'Softphone: incoming call' },
    { what: 'beside a call that is ending', calls: [call(CallState.Ending), call(CallState.Incoming)], title: 'Softphone: incoming call' },
    {
      what: 'after a call in progress (call waiting)',
      calls: [call(CallState.Established), call(CallState.Incoming)],
      title: 'Softphone: a second call is waiting',
    },
    {
      what: 'before a call in progress (call waiting)',
      calls: [call(CallState.Incoming), call(CallState.Dialing)],
      title: 'Softphone: a second call is waiting',
    },
  ])('lets a ringing call win ($what)', ({ calls, title }) => {
    expect(badgeFor(snapshot([account(RegistrationState.Failed)], calls))).toEqual({ text: 'RING', color: BLUE, title });
  });

  it('shows a held call and an active one as a call, and a held call left alone as a call too', () => {
    const held = { ...call(CallState.Established, 'held'), hold: HoldState.Held };
    expect(badgeFor(snapshot([account(RegistrationState.Registered)], [held, call(CallState.Established)])).text).toBe('CALL');
    expect(badgeFor(snapshot([account(RegistrationState.Registered)], [held])).text).toBe('CALL');
  });

  it('speaks Russian to a Russian user', () => {
    setLocale('ru');
    const look = badgeFor(snapshot([account(RegistrationState.Registered)]));
    expect(look.title).toBe('Софтфон: готов (101@pbx.example.com)');
  });

  it('keeps badge texts short enough for the toolbar (4 characters at most)', () => {
    const looks = [
      ...Object.values(RegistrationState).map((state) => badgeFor(snapshot([account(state)]))),
      badgeFor(snapshot([])),
      badgeFor(snapshot([], [call(CallState.Incoming)])),
      badgeFor(snapshot([], [call(CallState.Established)])),
    ];
    for (const look of looks) expect(look.text.length).toBeLessThanOrEqual(4);
  });
});

describe('badgeFor: missed calls and Do not disturb', () => {
  const ORANGE = '#e65100';
  const PURPLE = '#6a1b9a';
  const registered = [account(RegistrationState.Registered)];
  const dnd = (accounts: AccountStatus[], calls: CallSnapshot[] = []): PhoneSnapshot => ({
    ...snapshot(accounts, calls),
    doNotDisturb: true,
  });

  it.each([
    { what: 'idle with 3 missed calls', snap: snapshot(registered), missed: 3, look: { text: '3', color: ORANGE } },
    { what: 'missed calls while connecting', snap: snapshot([account(RegistrationState.Connecting)]), missed: 1, look: { text: '1', color: ORANGE } },
    { what: 'missed calls without an account', snap: snapshot([]), missed: 2, look: { text: '2', color: ORANGE } },
    { what: 'more than 99 missed calls', snap: snapshot(registered), missed: 120, look: { text: '99+', color: ORANGE } },
    { what: 'a count that is a floor', snap: snapshot(registered), missed: 5, more: true, look: { text: '99+', color: ORANGE } },
    { what: 'Do not disturb when idle', snap: dnd(registered), missed: 0, look: { text: 'DND', color: PURPLE } },
    { what: 'missed calls under Do not disturb', snap: dnd(registered), missed: 2, look: { text: '2', color: PURPLE } },
    { what: 'registration trouble over missed calls', snap: snapshot([account(RegistrationState.Failed)]), missed: 2, look: { text: '!', color: RED } },
    { what: 'registration trouble over Do not disturb', snap: dnd([account(RegistrationState.Waiting)]), missed: 0, look: { text: '!', color: RED } },
    { what: 'a ringing call over missed calls', snap: snapshot(registered, [call(CallState.Incoming)]), missed: 4, look: { text: 'RING', color: BLUE } },
    { what: 'a call over missed calls and DND', snap: dnd(registered, [call(CallState.Established)]), missed: 4, look: { text: 'CALL', color: BLUE } },
    { what: 'no missed calls', snap: snapshot(registered), missed: 0, look: { text: 'ON', color: GREEN } },
  ])('$what → $look.text', ({ snap, missed, more, look }) => {
    expect(badgeFor(snap, { missed, ...(more ? { missedMore: true } : {}) })).toMatchObject(look);
  });

  it('says in the tooltip how many are to handle, and that Do not disturb is on', () => {
    expect(badgeFor(snapshot(registered), { missed: 2 }).title).toBe('Softphone: missed calls to handle: 2');
    expect(badgeFor(dnd(registered), { missed: 2 }).title).toBe('Softphone: missed calls to handle: 2 · Do not disturb is on');
    expect(badgeFor(dnd(registered)).title).toBe('Softphone: Do not disturb — incoming calls are refused');
    expect(badgeFor(snapshot(registered), { missed: 5, missedMore: true }).title).toContain('5+');
  });

  it('reads the stored count when none is given', async () => {
    await fakeBrowser.storage.session.set({ missedCalls: { count: 7, more: false, entries: [] } });
    await showBadge(snapshot(registered));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('7');
  });
});

describe('showBadge', () => {
  it('puts the look on the toolbar button', async () => {
    await showBadge(snapshot([account(RegistrationState.Registered)]));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('ON');
    expect(await fakeBrowser.action.getTitle({})).toBe('Softphone: ready (101@pbx.example.com)');
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual([0x2e, 0x7d, 0x32, 255]);
  });

  it('replaces the previous look', async () => {
    await showBadge(snapshot([account(RegistrationState.Registered)]));
    await showBadge(snapshot([account(RegistrationState.Registered)], [call(CallState.Incoming)]));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('RING');
    await showBadge(snapshot([]));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });
});
