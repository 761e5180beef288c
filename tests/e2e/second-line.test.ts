import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowOf, type FarEnd } from './harness/far-end.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil, sleep } from './support/phone-rig.ts';

/**
 * Second line with two real SIP.js far ends through Kamailio: the agent (1001) talks to a customer
 * (1002) when another customer (1003) calls. Hold is checked in the far ends' SDP and RTP
 * counters; the conference in the engine's wiring and in the audio energy the far ends receive.
 */
describe('second line', () => {
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let first: FarEnd;
  let second: FarEnd;

  beforeAll(async () => {
    rig = await PhoneRig.start();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    first = await rig.openFarEnd('1002');
    await first.autoAnswer(true);
    second = await rig.openFarEnd('1003');
  });

  afterAll(async () => {
    await rig?.close();
  });

  /** The agent talks to 1002 when 1003 calls; returns both calls' ids once 1003's call waits. */
  async function talkingToFirstWhenSecondCalls(): Promise<{ a: string; b: string }> {
    await panel.dial('1002');
    const a = await panel.waitForCall('established', 'outbound');
    await first.waitForState('established');
    await panel.waitForLine(a, 'active');
    await second.call('1001');
    const b = await panel.waitForCall('incoming', 'inbound');
    await panel.waitForLine(b, 'waiting');
    return { a, b };
  }

  it('call waiting with swap and hang-up of one: the waiting call beeps, answering holds the first, swap flips them, hanging up one leaves the other held and resumable', async () => {
    const { a, b } = await talkingToFirstWhenSecondCalls();
    // Waiting: a second card above the call in progress, the call-waiting tone instead of the ringtone.
    expect(await panel.cardLines()).toEqual([
      [b, 'waiting'],
      [a, 'active'],
    ]);
    expect(await panel.lineText(b)).toBe('Call waiting');
    const waitingTone = await pollUntil(() => rig.engineTone(), (tone) => tone === 'call-waiting');
    expect(waitingTone).toBe('call-waiting');
    expect(await rig.badgeText()).toBe('RING');

    // Answer: 1002 is held first (its SDP says so, its RTP stops), then 1003 talks both ways.
    await panel.answer(b);
    await panel.waitForLine(a, 'held');
    await panel.waitForLine(b, 'active');
    await second.waitForState('established');
    expect((await first.sdp()).remote).toMatch(/^a=sendonly\r?$/m);
    expect(await pollUntil(() => rig.engineTone(), (tone) => tone === 'none')).toBe('none');
    await sleep(500);
    const [firstHeld, secondTalking] = await Promise.all([flowOf(first), flowOf(second)]);
    console.log(
      `[second-line] answered 1003: 1002 (held) sent ${firstHeld.sent} B; 1003 sent ${secondTalking.sent} B, received ${secondTalking.received} B (2 s)`,
    );
    expect(firstHeld.sent).toBe(0);
    expect(secondTalking.sent).toBeGreaterThan(4000);
    expect(secondTalking.received).toBeGreaterThan(4000);
    expect(await panel.holdNotice(a)).toBe('On hold');
    expect(await rig.badgeText()).toBe('CALL');

    // A third caller while two calls are up is refused with 486 and never shows.
    const third = await rig.openFarEnd('1004');
    await third.call('1001');
    const refusal = await pollUntil(
      () => third.events(),
      (events) => events.some((line) => line.includes('call rejected: 486')),
    );
    console.log(`[second-line] third caller: ${refusal.find((line) => line.includes('call rejected')) ?? 'no answer'}`);
    expect(refusal.some((line) => line.includes('call rejected: 486'))).toBe(true);
    expect((await panel.cardLines()).length).toBe(2);
    // It never rang, but the agent sees who got busy and can call back.
    const busy = await panel.waitForMissedEntry('1004');
    console.log(`[second-line] third caller in the missed list: "${busy.text}"`);
    expect(busy.text).toContain('Heard busy: two calls were already up');
    await third.close();

    // Swap: 1003 is held first, then 1002 talks again.
    await panel.swap();
    await panel.waitForLine(b, 'held');
    await panel.waitForLine(a, 'active');
    expect((await second.sdp()).remote).toMatch(/^a=sendonly\r?$/m);
    expect((await first.sdp()).remote).toMatch(/^a=sendrecv\r?$/m);
    // The cards keep their places: the order does not jump with each swap.
    expect((await panel.cardLines()).map(([id]) => id)).toEqual([a, b]);
    await sleep(500);
    const [firstBack, secondHeld] = await Promise.all([flowOf(first), flowOf(second)]);
    console.log(
      `[second-line] swapped: 1002 sent ${firstBack.sent} B, received ${firstBack.received} B; 1003 (held) sent ${secondHeld.sent} B (2 s)`,
    );
    expect(secondHeld.sent).toBe(0);
    expect(firstBack.sent).toBeGreaterThan(4000);
    expect(firstBack.received).toBeGreaterThan(4000);

    // Hang up 1002: 1003 stays held, and is resumed with audio.
    await panel.hangup(a);
    await first.waitForState('terminated');
    await panel.waitForEndedReason(a);
    expect(await panel.cardLines()).toEqual([[b, 'held']]);
    expect(await second.state()).toBe('established');
    expect(await panel.holdNotice(b)).toBe('On hold');
    await panel.toggleHold(b);
    await panel.waitForLine(b, 'active');
    await sleep(500);
    const secondResumed = await flowOf(second);
    console.log(`[second-line] 1003 resumed alone: sent ${secondResumed.sent} B, received ${secondResumed.received} B (2 s)`);
    expect(secondResumed.sent).toBeGreaterThan(4000);
    expect(secondResumed.received).toBeGreaterThan(4000);

    await panel.hangup(b);
    await panel.waitForNoCalls();
    // Both calls are in history, answered, each with its own talk time.
    const rows = await Promise.all([a, b].map((id) => pollUntil(() => rig.callRecord(id), (row) => row?.outcome !== undefined)));
    console.log(
      `[second-line] history: ${rows.map((row) => `${String(row?.direction)} ${String(row?.outcome)} talk ${String(row?.talkMs)} ms`).join('; ')}`,
    );
    expect(rows.map((row) => row?.outcome)).toEqual(['answered', 'answered']);
    expect(rows.map((row) => row?.direction)).toEqual(['outbound', 'inbound']);
    // Idle again: the badge counts the one missed call to return (the third caller who got busy).
    expect(await pollUntil(() => rig.badgeText(), (text) => text === '1')).toBe('1');
  });

  it('3-way conference: merge mixes each call with the other one’s voice, mute silences only the agent, split and hang-up give back plain calls with audio', async () => {
    const { a, b } = await talkingToFirstWhenSecondCalls();
    await panel.answer(b);
    await panel.waitForLine(a, 'held');
    await panel.waitForLine(b, 'active');
    await second.waitForState('established');

    // Merge: the held call is resumed and both calls are mixed in the engine.
    await panel.merge();
    await panel.waitForLine(a, 'conference');
    await panel.waitForLine(b, 'conference');
    const wiring = await pollUntil(() => rig.conferenceWiring(), (value) => value?.members.every((m) => m.onLine) === true);
    console.log(`[conference] wiring: ${JSON.stringify(wiring)}`);
    // The call the agent was talking to (1003) first, then the one that joined.
    expect(wiring?.members).toEqual([
      { callId: b, sends: ['microphone', `remote:${a}`], onLine: true },
      { callId: a, sends: ['microphone', `remote:${b}`], onLine: true },
    ]);
    expect((await first.sdp()).remote).toMatch(/^a=sendrecv\r?$/m);
    await sleep(500);
    const [firstMixed, secondMixed] = await Promise.all([flowOf(first, 3000), flowOf(second, 3000)]);

    // Muted: the agent's microphone is silent in both mixes, yet each far end still hears the other.
    await panel.mute(a);
    await pollUntil(() => rig.conferenceWiring(), (value) => value?.muted === true);
    await sleep(500);
    const [firstMuted, secondMuted] = await Promise.all([flowOf(first, 3000), flowOf(second, 3000)]);
    console.log(
      `[conference] received by 1002: ${firstMixed.received} B, energy ${firstMixed.energy.toFixed(4)} (agent + 1003), ` +
        `${firstMuted.received} B, energy ${firstMuted.energy.toFixed(4)} (1003 only, agent muted); ` +
        `by 1003: energy ${secondMixed.energy.toFixed(4)} / ${secondMuted.energy.toFixed(4)} (3 s each)`,
    );
    expect(firstMixed.received).toBeGreaterThan(6000);
    expect(firstMuted.received).toBeGreaterThan(6000);
    expect(secondMuted.received).toBeGreaterThan(6000);
    expect(firstMuted.energy).toBeGreaterThan(0);
    expect(secondMuted.energy).toBeGreaterThan(0);

    // Split, keeping 1002: the mix is gone, 1003 waits on hold, 1002 has the plain (muted) microphone.
    await panel.split(a);
    await panel.waitForLine(a, 'active');
    await panel.waitForLine(b, 'held');
    expect(await rig.conferenceWiring()).toBeNull();
    await sleep(500);
    const [firstAlone, secondHeld] = await Promise.all([flowOf(first, 3000), flowOf(second)]);
    console.log(
      `[conference] split: 1002 received ${firstAlone.received} B, energy ${firstAlone.energy.toFixed(4)} (agent muted, no mix); 1003 (held) sent ${secondHeld.sent} B`,
    );
    expect(firstAlone.energy).toBeLessThan(firstMuted.energy / 10);
    expect(secondHeld.sent).toBe(0);

    // Merge again and hang up 1003: 1002 stays, with the plain microphone and audio both ways.
    await panel.mute(a);
    await panel.merge();
    await panel.waitForLine(a, 'conference');
    await pollUntil(() => rig.conferenceWiring(), (value) => value?.members.every((m) => m.onLine) === true);
    await panel.hangup(b);
    await second.waitForState('terminated');
    await panel.waitForLine(a, 'active');
    expect(await pollUntil(() => rig.conferenceWiring(), (value) => value === null)).toBeNull();
    await sleep(500);
    const firstAfter = await flowOf(first, 3000);
    console.log(
      `[conference] 1003 hung up: 1002 sent ${firstAfter.sent} B, received ${firstAfter.received} B, energy ${firstAfter.energy.toFixed(4)} (3 s)`,
    );
    expect(firstAfter.sent).toBeGreaterThan(6000);
    expect(firstAfter.received).toBeGreaterThan(6000);
    expect(firstAfter.energy).toBeGreaterThan(0);

    await panel.hangup(a);
    await panel.waitForNoCalls();
  });
});
