import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CallOutcome } from '@/lib/db/call-record';
import { deriveOutcome, hangupSide, type CallEnding } from '@/lib/history/call-outcome';
import { digitsOf, numberKeyOf, type NumberIdentity } from '@/lib/history/number-key';
import { CallEndReason as R } from '@/lib/phone/call-state';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('deriveOutcome', () => {
  it.each<CallEnding & { outcome: CallOutcome; why: string }>([
    { direction: 'inbound', answered: true, endReason: R.RemoteHangup, outcome: 'answered', why: 'picked up, caller hung up' },
    { direction: 'inbound', answered: true, endReason: R.Failed, outcome: 'answered', why: 'picked up, then media broke' },
    { direction: 'outbound', answered: true, endReason: R.LocalHangup, outcome: 'answered', why: 'far end answered' },
    { direction: 'inbound', answered: true, endReason: R.Transferred, outcome: 'answered', why: 'answered, then transferred' },
    { direction: 'inbound', answered: false, endReason: R.CallerCancelled, outcome: 'missed', why: 'caller gave up' },
    { direction: 'inbound', answered: false, endReason: undefined, outcome: 'missed', why: 'stopped ringing, no reason given' },
    { direction: 'inbound', answered: false, endReason: R.Declined, sipCode: 486, outcome: 'declined', why: 'agent declined with 486' },
    { direction: 'inbound', answered: false, endReason: R.Declined, sipCode: 603, outcome: 'declined', why: 'agent declined with 603' },
    { direction: 'inbound', answered: false, endReason: R.Failed, outcome: 'failed', why: 'answer failed (no microphone)' },
    { direction: 'outbound', answered: false, endReason: R.Cancelled, sipCode: 487, outcome: 'cancelled', why: 'agent hung up while it rang' },
    { direction: 'outbound', answered: false, endReason: R.Rejected, sipCode: 486, outcome: 'busy', why: '486 Busy Here' },
    { direction: 'outbound', answered: false, endReason: R.Rejected, sipCode: 600, outcome: 'busy', why: '600 Busy Everywhere' },
    { direction: 'outbound', answered: false, endReason: R.Rejected, sipCode: 603, outcome: 'declined', why: '603 Decline' },
    { direction: 'outbound', answered: false, endReason: R.Rejected, sipCode: 404, outcome: 'failed', why: '404 Not Found' },
    { direction: 'outbound', answered: false, endReason: R.Rejected, sipCode: 480, outcome: 'failed', why: '480 no answer' },
    { direction: 'outbound', answered: false, endReason: R.Failed, outcome: 'failed', why: 'transport failure' },
  ])('$direction, answered=$answered, $endReason/$sipCode → $outcome ($why)', ({ outcome, why: _why, ...ending }) => {
    expect(deriveOutcome(ending)).toBe(outcome);
  });
});

describe('hangupSide', () => {
  it.each([
    { reason: R.LocalHangup, side: 'local' },
    { reason: R.Cancelled, side: 'local' },
    { reason: R.Declined, side: 'local' },
    { reason: R.Transferred, side: 'local' },
    { reason: R.RemoteHangup, side: 'remote' },
    { reason: R.CallerCancelled, side: 'remote' },
    { reason: R.Rejected, side: 'remote' },
    { reason: R.Failed, side: undefined },
    { reason: undefined, side: undefined },
  ])('$reason → $side', ({ reason, side }) => {
    expect(hangupSide(reason)).toBe(side);
  });
});

describe('numberKeyOf', () => {
  it.each<{ raw: string; region: string; expected: NumberIdentity }>([
    { raw: '79161234567', region: 'RU', expected: { key: '+79161234567', e164: '+79161234567' } },
    { raw: '89161234567', region: 'RU', expected: { key: '+79161234567', e164: '+79161234567' } },
    { raw: '+7 (916) 123-45-67', region: 'RU', expected: { key: '+79161234567', e164: '+79161234567' } },
    { raw: '442079460958', region: 'RU', expected: { key: '+442079460958', e164: '+442079460958' } },
    { raw: '2125550100', region: 'US', expected: { key: '+12125550100', e164: '+12125550100' } },
    { raw: '101', region: 'RU', expected: { key: '101' } },
    { raw: '*97', region: 'RU', expected: { key: '*97' } },
    { raw: 'Anonymous', region: 'RU', expected: { key: 'anonymous' } },
    { raw: 'sip:Bob@PBX.example.com', region: 'RU', expected: { key: 'sip:bob@pbx.example.com' } },
    { raw: '   ', region: 'RU', expected: { key: 'unknown' } },
  ])('$raw in $region → $expected.key', ({ raw, region, expected }) => {
    expect(numberKeyOf(raw, region)).toEqual(expected);
  });

  it('reads digits of a key', () => {
    expect(digitsOf('+7 916 123-45-67')).toBe('79161234567');
  });
});
