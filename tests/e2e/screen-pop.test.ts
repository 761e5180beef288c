import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil } from './support/phone-rig.ts';

/**
 * The screen pop: the agent imports their contacts on the options page; when a customer whose
 * number is among them calls, the ringing call card (and, with the panel closed, the desktop
 * notification) names them before anyone answers. An unknown caller is added from the card, and
 * their next call shows the new contact.
 */
describe('screen pop', () => {
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let customer: FarEnd;
  let stranger: FarEnd;
  const dir = mkdtempSync(path.join(tmpdir(), 'screen-pop-'));

  beforeAll(async () => {
    rig = await PhoneRig.start();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    customer = await rig.openFarEnd('1002');
    stranger = await rig.openFarEnd('1003');
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('a CSV from Excel (semicolons, BOM, quotes) imports the customer and reports the bad row in words', async () => {
    const csv = '\uFEFFИмя;Компания;Телефон;Email\r\n"Alice Smith";"Acme, Ltd";1002;alice@example.com\r\nBroken;Nowhere;call me;\r\n';
    const file = path.join(dir, 'contacts.csv');
    writeFileSync(file, csv, 'utf8');
    const options = await rig.openOptions();
    const result = await options.importContacts(file);
    console.log(`[screen-pop] import: ${result.text}`);
    expect(result.state).toBe('done');
    expect(result.text).toContain('Added 1, updated 0, skipped 1.');
    expect(result.text).toContain('Row 3: “call me” is not a phone number.');
    await options.page.close();
  });

  it('the customer calls: the ringing card shows name and company before answering (INVITE→card timed)', async () => {
    await panel.page.bringToFront();
    await panel.watchCallerCard();
    const invitedAt = Date.now();
    await customer.call('1001');
    const callId = await panel.waitForCall('incoming', 'inbound');
    const { ringAt, cardAt } = await panel.screenPopTimes();
    const caller = await panel.waitForCaller(callId);
    console.log(
      `[screen-pop] INVITE→card ${cardAt - invitedAt} ms (INVITE→ringing card ${ringAt - invitedAt} ms, ringing card→name ${cardAt - ringAt} ms)`,
    );
    expect(caller).toEqual({ status: 'known', name: 'Alice Smith', company: 'Acme, Ltd' });
    expect(await panel.callStateText(callId)).not.toBe('');
    await customer.cancel();
    await panel.waitForNoCalls();
  });

  it('with the panel closed, the ringing notification names the customer and company', async () => {
    await panel.close();
    await rig.recordNotificationTexts();
    await customer.call('1001');
    const texts = await pollUntil(
      () => rig.notificationTexts(),
      (list) => list.length > 0,
    );
    console.log(`[screen-pop] notification: ${texts[0]}`);
    expect(texts[0]).toContain('Alice Smith, Acme, Ltd');
    await customer.cancel();
    await pollUntil(
      () => rig.notificationIds(),
      (ids) => !ids.some((id) => id.startsWith('incoming:')),
    );
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
  });

  it('an unknown caller: Add contact on the card creates one, and the next call shows it', async () => {
    await stranger.call('1001');
    const first = await panel.waitForCall('incoming', 'inbound');
    expect((await panel.waitForCaller(first)).status).toBe('unknown');
    await panel.addCallerContact(first, 'Bob Brown', 'Fabrikam');
    expect(await panel.waitForCaller(first)).toEqual({ status: 'known', name: 'Bob Brown', company: 'Fabrikam' });
    await stranger.cancel();
    await panel.waitForNoCalls();

    await stranger.waitForState('terminated');
    await stranger.call('1001');
    const second = await panel.waitForCall('incoming', 'inbound');
    expect(await panel.waitForCaller(second)).toEqual({ status: 'known', name: 'Bob Brown', company: 'Fabrikam' });
    await stranger.cancel();
    await panel.waitForNoCalls();
  });
});
