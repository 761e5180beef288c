import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhoneRig, pollUntil } from './support/phone-rig.ts';

const NOTE = 'Клиент просит счёт на 10 лицензий';

/**
 * After-call work with real calls: the agent writes the note and picks a disposition while talking;
 * nothing typed is lost when the service worker is stopped, when the panel is closed and opened
 * again, or when the whole browser restarts with the same profile.
 */
describe('call note and disposition', () => {
  it('keeps the note written during a call through a worker stop, a new panel and a browser restart', async () => {
    const profile = await mkdtemp(path.join(tmpdir(), 'after-call-profile-'));
    let rig = await PhoneRig.start({ userDataDir: profile });
    try {
      let panel = await rig.openPanel();
      await panel.waitForRegistration('registered');
      const customer = await rig.openFarEnd('1002');
      await customer.autoAnswer(true);
      await panel.dial('1002');
      const callId = await panel.waitForCall('established', 'outbound');

      // Alice, the agent, takes notes while she talks; they save themselves when she pauses.
      await panel.typeCallNote(callId, NOTE);
      await panel.waitForNoteStatus(callId, 'saved');
      await panel.chooseDisposition(callId, 'follow-up');
      // The choice is written at once; Chrome stops only an idle worker, so wait for the write.
      const saved = await pollUntil(() => rig.callRecord(callId), (row) => row?.disposition === 'follow-up');
      expect(saved?.disposition).toBe('follow-up');

      // Chrome stops the idle worker; she closes the panel and opens it again, mid-call.
      await rig.stopServiceWorker();
      await panel.close();
      panel = await rig.openPanel();
      await panel.waitForCall('established', 'outbound');
      await panel.waitForWrapUp(callId);
      expect(await panel.callNote(callId)).toBe(NOTE);
      expect(await panel.callDisposition(callId)).toBe('follow-up');

      // The customer hangs up: the editor stays as after-call work until she presses Done.
      await customer.hangup();
      await panel.waitForNoCalls();
      await panel.waitForWrapUp(callId);
      await panel.typeCallNote(callId, ' — счёт отправлен');
      await panel.waitForNoteStatus(callId, 'saved');
      await panel.finishWrapUp(callId);

      // The browser closes (Kamailio goes with the rig) and starts again on the same profile.
      await rig.close();
      rig = await PhoneRig.start({ userDataDir: profile });
      panel = await rig.openPanel();
      const row = await panel.historyRowText(callId);
      expect(row).toContain('Follow-up needed');
      expect(await panel.historyRowNote(callId)).toBe(`${NOTE} — счёт отправлен`);
      // A new browser session brings no stale editor back.
      expect(await panel.page.$(`[data-testid="wrap-up-${callId}"]`)).toBeNull();
    } finally {
      await rig.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});
