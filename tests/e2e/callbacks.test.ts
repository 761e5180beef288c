import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil, sleep } from './support/phone-rig.ts';

/** The callback is due this long after the missed call: 15 s, so the test waits seconds, not minutes. */
const DUE_MINUTES = 0.25;

/**
 * After-call automation, local half, with real calls: the customer (1002, a SIP.js softphone page)
 * calls the agent (1001) through Kamailio and gives up. The missed call opens a callback; the panel
 * lists it with a live SLA timer; the alarm at its due time raises a reminder notification even
 * though the service worker was stopped in between; a callback that connects closes it. No CRM is
 * connected: the local reminder works without one.
 */
describe('callback list and reminders', () => {
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let customer: FarEnd;

  beforeAll(async () => {
    rig = await PhoneRig.start();
    await rig.configureSettings({
      afterCall: { callbackTask: true, callbackDueMinutes: DUE_MINUTES, answeredNote: true, newNumber: 'lead' },
    });
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    customer = await rig.openFarEnd('1002');
  });

  afterAll(async () => {
    await rig?.close();
  });

  /** The customer calls and gives up before the agent answers; answers the missed call's history row. */
  async function missedCall(): Promise<{ historyId: string; endedAt: number }> {
    await customer.call('1001');
    const callId = await panel.waitForCall('incoming', 'inbound');
    await customer.cancel();
    await panel.waitForNoCalls();
    const row = await pollUntil(() => rig.callRecord(callId), (r) => r?.outcome === 'missed');
    return { historyId: String(row!.id), endedAt: Number(row!.endedAt) };
  }

  it('a missed call is listed with a counting-down SLA timer; at due time (worker stopped meanwhile) a reminder shows and the row turns overdue; a connected callback closes it', async () => {
    const { historyId, endedAt } = await missedCall();
    const taskId = `callback:${historyId}`;
    const first = await panel.waitForCallbackEntry(taskId, false);
    const listedAfter = Date.now() - endedAt;
    await sleep(2_000);
    const second = await panel.waitForCallbackEntry(taskId, false);
    const [task] = (await rig.taskRecords()).filter((t) => t.id === taskId);
    console.log(
      `[callbacks] listed ${listedAfter} ms after the call ended: timer "${first.timer}" then "${second.timer}" 2 s later ` +
        `("${second.timerText}"); task due ${Number(task?.dueAt) - endedAt} ms after the call`,
    );
    expect(task).toMatchObject({ kind: 'callback', status: 'open', numberKey: '1002', dialTarget: '1002' });
    expect(Number(task?.dueAt)).toBe(endedAt + DUE_MINUTES * 60_000);
    expect(second.timer < first.timer).toBe(true);
    expect(second.timerText).toMatch(/^Due in 00:\d\d$/);

    // Nothing lives in the worker: stop it. The next worker finds the reminder alarm set for the due
    // time (alarms are Chrome's, not the worker's) and shows the reminder when it fires.
    await rig.stopServiceWorker();
    await pollUntil(async () => rig.serviceWorkerRunning(), (running) => !running, 5_000);
    const stoppedAt = Date.now();
    const alarm = await rig.alarm('callback-reminder');
    const notificationId = `reminder:${taskId}`;
    const ids = await pollUntil(() => rig.notificationIds(), (list) => list.includes(notificationId), 60_000);
    const remindedLate = Date.now() - (endedAt + DUE_MINUTES * 60_000);
    console.log(
      `[callbacks] worker stopped ${stoppedAt - endedAt} ms after the call; the alarm after the stop is set ` +
        `${Number(alarm?.scheduledTime) - endedAt} ms after the call`,
    );
    expect(alarm?.scheduledTime).toBe(endedAt + DUE_MINUTES * 60_000);
    const overdue = await panel.waitForCallbackEntry(taskId, true);
    const [reminded] = (await rig.taskRecords()).filter((t) => t.id === taskId);
    console.log(
      `[callbacks] reminder ${notificationId} shown ${remindedLate} ms after the due time; notifications ${JSON.stringify(ids)}; ` +
        `row now "${overdue.timer}" ("${overdue.timerText}")`,
    );
    expect(reminded?.remindedAt).toBeGreaterThanOrEqual(endedAt + DUE_MINUTES * 60_000);
    expect(overdue.timerText).toMatch(/^Overdue by 00:\d\d$/);

    // The agent calls back from the list; the customer answers; the callback closes.
    await panel.callFromCallbacks(taskId);
    const callbackId = await panel.waitForCall('ringing', 'outbound');
    await customer.waitForState('ringing-in');
    await customer.answer();
    await panel.waitForCall('established', 'outbound');
    await panel.waitForNoCallbackEntry(taskId);
    const closed = await pollUntil(
      () => rig.taskRecords(),
      (tasks) => tasks.some((t) => t.id === taskId && t.status === 'done'),
    );
    const left = await pollUntil(() => rig.notificationIds(), (list) => !list.includes(notificationId));
    console.log(
      `[callbacks] callback connected: task ${JSON.stringify(closed.find((t) => t.id === taskId)?.doneBy)}, notifications ${JSON.stringify(left)}`,
    );
    expect(closed.find((t) => t.id === taskId)).toMatchObject({ status: 'done', doneBy: 'callback' });
    await customer.hangup();
    await panel.waitForEndedReason(callbackId);
  });

  it('Done on a callback closes it and the missed-calls entry of its number', async () => {
    await panel.waitForNoCalls();
    const { historyId } = await missedCall();
    const taskId = `callback:${historyId}`;
    // The first test closed the number's callback, so this missed call opens a new one.
    await panel.waitForCallbackEntry(taskId);
    await panel.waitForMissedEntry('1002', 1);
    await panel.doneCallback(taskId);
    await panel.waitForNoCallbackEntry(taskId);
    await panel.waitForNoMissedEntry('1002');
    const [task] = (await rig.taskRecords()).filter((t) => t.id === taskId);
    console.log(`[callbacks] Done: task ${String(task?.status)} by ${String(task?.doneBy)}, missed entry gone`);
    expect(task).toMatchObject({ status: 'done', doneBy: 'agent' });
  });
});
