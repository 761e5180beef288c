import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import { PhoneRig, pollUntil } from './support/phone-rig.ts';

/*
 * What Chromium 156 lists with --use-fake-device-for-media-stream (and --use-fake-ui-for-media-stream,
 * which makes the microphone granted, so labels are visible), as `enumerateDevices()` gives it in
 * the extension's pages:
 *
 *   audioinput   default  "Fake Default Audio Input"     (Chromium's pseudo-device for the default)
 *   audioinput   <hash>   "Fake Audio Input 1"
 *   audioinput   <hash>   "Fake Audio Input 2"
 *   videoinput   <hash>   "fake_device_0"
 *   audiooutput  default  "Fake Default Audio Output"
 *   audiooutput  <hash>   "Fake Audio Output 1"
 *   audiooutput  <hash>   "Fake Audio Output 2"
 *
 * Every fake input captures the same beep. `getUserMedia({ audio: { deviceId: { exact } } })` opens
 * the named one, and the processing constraints reach the track: `getSettings()` of "Fake Audio
 * Input 2" opened with echoCancellation/noiseSuppression/autoGainControl false reports them false
 * (it also reports 2 channels at 44.1 kHz, the default input 1 channel at 48 kHz). `setSinkId` works
 * on both media elements and AudioContext with the fake outputs. Nothing can be unplugged, so a
 * headset that is gone is a remembered device id the browser does not list.
 */

/** Waits until RTP has flowed both ways on both ends, beyond the given counts; returns the figures. */
async function expectAudioBothWays(
  rig: PhoneRig,
  customer: FarEnd,
  callId: string,
  beyond = { agentSent: 0, agentReceived: 0, farSent: 0, farReceived: 0 },
): Promise<{ agentSent: number; agentReceived: number; farSent: number; farReceived: number }> {
  const margin = 4000;
  const agent = await pollUntil(
    () => rig.engineStats(callId),
    (s) => s.bytesSent > beyond.agentSent + margin && s.bytesReceived > beyond.agentReceived + margin,
  );
  const far = await pollUntil(
    () => customer.stats(),
    (s) => s.bytesSent > beyond.farSent + margin && s.bytesReceived > beyond.farReceived + margin,
  );
  expect(agent.bytesSent).toBeGreaterThan(beyond.agentSent + margin);
  expect(agent.bytesReceived).toBeGreaterThan(beyond.agentReceived + margin);
  expect(far.bytesSent).toBeGreaterThan(beyond.farSent + margin);
  expect(far.bytesReceived).toBeGreaterThan(beyond.farReceived + margin);
  return {
    agentSent: agent.bytesSent,
    agentReceived: agent.bytesReceived,
    farSent: far.bytesSent,
    farReceived: far.bytesReceived,
  };
}

describe('audio devices', () => {
  it('device choice survives a restart: the options page still shows it, a call sends the chosen microphone with the chosen processing, plays on the chosen speaker and rings on the chosen ringer', async () => {
    const profile = await mkdtemp(path.join(tmpdir(), 'audio-devices-profile-'));
    let rig = await PhoneRig.start({ userDataDir: profile });
    try {
      // Alice picks her headset's microphone, the desk speaker for calls and another output to ring on.
      let options = await rig.openOptions();
      await options.waitForAudioDevice('microphone', 'Fake Audio Input 2');
      const inputs = await options.audioDevices('microphone');
      const outputs = await options.audioDevices('speaker');
      console.log(`[devices] microphone choices: ${inputs.map((e) => e.text).join(' | ')}`);
      console.log(`[devices] speaker choices: ${outputs.map((e) => e.text).join(' | ')}`);
      // "System default" first; Chromium's `default` pseudo-device is not offered twice.
      expect(inputs.map((e) => e.text)).toEqual(['System default', 'Fake Audio Input 1', 'Fake Audio Input 2']);
      const microphoneId = await options.chooseAudioDevice('microphone', 'Fake Audio Input 2');
      const speakerId = await options.chooseAudioDevice('speaker', 'Fake Audio Output 1');
      const ringerId = await options.chooseAudioDevice('ringer', 'Fake Audio Output 2');
      await options.setAudioProcessing('echoCancellation', false);
      await options.setAudioProcessing('autoGainControl', false);

      // The browser closes and starts again on the same profile.
      await rig.close();
      rig = await PhoneRig.start({ userDataDir: profile });
      options = await rig.openOptions();
      await options.waitForAudioDevice('microphone', 'Fake Audio Input 2');
      const shown = {
        microphone: await options.audioSelection('microphone'),
        speaker: await options.audioSelection('speaker'),
        ringer: await options.audioSelection('ringer'),
      };
      console.log(`[restart] options show ${shown.microphone.text} / ${shown.speaker.text} / ${shown.ringer.text}`);
      expect(shown).toEqual({
        microphone: { value: microphoneId, text: 'Fake Audio Input 2' },
        speaker: { value: speakerId, text: 'Fake Audio Output 1' },
        ringer: { value: ringerId, text: 'Fake Audio Output 2' },
      });
      expect(await options.audioProcessing('echoCancellation')).toBe(false);
      expect(await options.audioProcessing('noiseSuppression')).toBe(true);
      expect(await options.audioProcessing('autoGainControl')).toBe(false);

      // A real call from the panel uses that microphone, with that processing, on that speaker.
      const panel = await rig.openPanel();
      await panel.waitForRegistration('registered');
      const customer = await rig.openFarEnd('1002');
      await customer.autoAnswer(true);
      await panel.dial('1002');
      const callId = await panel.waitForCall('established', 'outbound');
      const sent = await rig.sentTrack(callId);
      console.log(`[call] sends "${sent.label}" (${sent.deviceId.slice(0, 12)}…) echoCancellation=${sent.echoCancellation} noiseSuppression=${sent.noiseSuppression} autoGainControl=${sent.autoGainControl}`);
      expect(sent).toMatchObject({
        deviceId: microphoneId,
        label: 'Fake Audio Input 2',
        readyState: 'live',
        enabled: true,
        echoCancellation: false,
        noiseSuppression: true,
        autoGainControl: false,
      });
      const sinks = await pollUntil(
        () => rig.outputSinks(),
        (s) => s.remote.length === 1 && s.remote[0] === speakerId,
      );
      expect(sinks.remote).toEqual([speakerId]);
      const audio = await expectAudioBothWays(rig, customer, callId);
      console.log(`[call] agent sent ${audio.agentSent} B / received ${audio.agentReceived} B; customer sent ${audio.farSent} B / received ${audio.farReceived} B; call audio on ${sinks.remote[0]!.slice(0, 12)}…`);
      await panel.hangup(callId);
      await panel.waitForNoCalls();
      await customer.waitForState('terminated');
      expect(await panel.audioFallbackText()).toBe('');

      // The customer calls back: the ringtone plays on the ringer, not on the speaker.
      await customer.autoAnswer(false);
      await customer.call('1001');
      const incoming = await panel.waitForCall('incoming', 'inbound');
      const ringing = await pollUntil(
        () => rig.outputSinks(),
        (s) => s.ringer === ringerId,
      );
      console.log(`[ring] ringtone on ${ringing.ringer.slice(0, 12)}… (ringer ${ringerId.slice(0, 12)}…, speaker ${speakerId.slice(0, 12)}…)`);
      expect(ringing.ringer).toBe(ringerId);
      await panel.decline(incoming);
      await customer.waitForState('terminated');
    } finally {
      await rig.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  it('a remembered headset that is not plugged in: the call uses the default microphone and the panel says so; choosing a microphone mid-call moves the call to it, muted or not, with audio both ways', async () => {
    const rig = await PhoneRig.start();
    try {
      await rig.storeAudioSettings({
        microphone: { deviceId: 'a-headset-that-is-not-plugged-in', label: 'USB Headset' },
        ringVolume: 80,
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
      });
      const panel = await rig.openPanel();
      await panel.waitForRegistration('registered');
      const notice = await panel.waitForAudioFallback('USB Headset unplugged — using the default microphone');
      console.log(`[fallback] panel: "${notice}"`);

      const options = await rig.openOptions();
      await options.waitForAudioDevice('microphone', 'USB Headset (not connected)');
      expect(await options.audioSelection('microphone')).toEqual({
        value: 'a-headset-that-is-not-plugged-in',
        text: 'USB Headset (not connected)',
      });

      const customer = await rig.openFarEnd('1002');
      await customer.autoAnswer(true);
      await panel.dial('1002');
      const callId = await panel.waitForCall('established', 'outbound');
      const before = await rig.sentTrack(callId);
      console.log(`[fallback] call sends "${before.label}" (${before.deviceId})`);
      expect(before).toMatchObject({ deviceId: 'default', label: 'Fake Default Audio Input', readyState: 'live' });
      const first = await expectAudioBothWays(rig, customer, callId);

      // Alice picks another microphone while talking: the call sends it, no re-INVITE, audio goes on.
      const input1 = await options.chooseAudioDevice('microphone', 'Fake Audio Input 1');
      const switched = await pollUntil(
        () => rig.sentTrack(callId),
        (track) => track.deviceId === input1,
      );
      expect(switched).toMatchObject({ label: 'Fake Audio Input 1', readyState: 'live', enabled: true });
      await panel.waitForAudioFallback('');
      const second = await expectAudioBothWays(rig, customer, callId, first);
      console.log(`[switch] now "${switched.label}"; agent sent ${second.agentSent - first.agentSent} B more, customer received ${second.farReceived - first.farReceived} B more`);

      // Muted, she switches again: the new microphone stays muted until she unmutes.
      await panel.mute(callId);
      await pollUntil(
        () => rig.sentTrack(callId),
        (track) => !track.enabled,
      );
      const input2 = await options.chooseAudioDevice('microphone', 'Fake Audio Input 2');
      const mutedSwitch = await pollUntil(
        () => rig.sentTrack(callId),
        (track) => track.deviceId === input2,
      );
      console.log(`[mute] switched to "${mutedSwitch.label}" while muted: enabled=${mutedSwitch.enabled}`);
      expect(mutedSwitch).toMatchObject({ label: 'Fake Audio Input 2', enabled: false, readyState: 'live' });
      await panel.mute(callId);
      const unmuted = await pollUntil(
        () => rig.sentTrack(callId),
        (track) => track.enabled,
      );
      expect(unmuted).toMatchObject({ deviceId: input2, enabled: true });
      const third = await expectAudioBothWays(rig, customer, callId, second);
      console.log(`[mute] after unmute: agent sent ${third.agentSent - second.agentSent} B more, customer received ${third.farReceived - second.farReceived} B more`);

      await panel.hangup(callId);
      await panel.waitForNoCalls();
    } finally {
      await rig.close();
    }
  });
});
