import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil } from './support/phone-rig.ts';

/**
 * Text messages (SIP MESSAGE, RFC 3428) through the real Kamailio: the customer writes, the agent
 * finds them and answers from the customer's timeline, and a reply to someone who went offline is
 * shown as not delivered, with the reason.
 */
describe('text messages in the customer timeline', () => {
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let customer: FarEnd;

  beforeAll(async () => {
    rig = await PhoneRig.start();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    customer = await rig.openFarEnd('1002');
  });

  afterAll(async () => {
    await rig?.close();
  });

  const greeting = 'Здравствуйте! Перезвоните, пожалуйста, после 15:00 — Иван 🙂';

  it('a message from the customer lands in their timeline, and search finds the number that only wrote', async () => {
    const answer = await customer.sendMessage('1001', greeting);
    expect(answer.code).toBe(200);
    // Kamailio challenged the MESSAGE (digest) before relaying it to the agent's registered contact.
    expect(rig.kamailio.log()).toMatch(/HARNESS-CHALLENGE MESSAGE from 1002/);

    await panel.openHistory();
    await panel.search('1002');
    await panel.openNumberResult('1002');
    const messages = await panel.waitForTimelineMessages(1);
    expect(messages).toEqual([{ direction: 'inbound', status: 'received', text: greeting }]);
    // The panel ran as a tab, not as the side panel: the background raised a desktop notification.
    const ids = await pollUntil(() => rig.notificationIds(), (list) => list.some((id) => id.startsWith('message:')));
    expect(ids.filter((id) => id.startsWith('message:'))).toHaveLength(1);
  });

  it("the agent's reply from the compose box reaches the customer exactly as typed", async () => {
    const reply = 'Хорошо, Иван, перезвоню в 15:30.\nС уважением, Анна';
    await panel.sendMessage(reply);
    const received = await customer.waitForMessages(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toBe(reply);
    expect(received[0]!.contentType.toLowerCase()).toBe('text/plain;charset=utf-8');
    expect(received[0]!.from).toBe(`sip:1001@${rig.kamailio.domain}`);

    const messages = await panel.waitForTimelineMessages(2);
    expect(messages).toEqual([
      { direction: 'outbound', status: 'sent', text: reply },
      { direction: 'inbound', status: 'received', text: greeting },
    ]);
  });

  it('a reply to a customer who went offline shows as not delivered, with the reason in words', async () => {
    const other = await rig.openFarEnd('1003');
    expect((await other.sendMessage('1001', 'Можно вопрос?')).code).toBe(200);
    await other.unregister();
    await other.close();

    await panel.closeTimeline();
    await panel.search('1003');
    await panel.openNumberResult('1003');
    await panel.waitForTimelineMessages(1);
    await panel.sendMessage('Да, слушаю вас.');
    const messages = await panel.waitForTimelineMessages(2, 'failed');
    expect(messages[0]).toMatchObject({ direction: 'outbound', status: 'failed', text: 'Да, слушаю вас.' });
    // Kamailio answers 480 for a known user without a registration.
    expect(messages[0]!.failure).toMatch(/not online|не в сети/);
    expect(rig.kamailio.log()).toMatch(/HARNESS-NOT-REGISTERED 1003/);
  });
});
