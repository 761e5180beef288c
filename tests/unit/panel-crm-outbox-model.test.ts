import { signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CrmOutboxStatus } from '@/lib/history/crm-outbox-status';
import { setLocale } from '@/lib/i18n/i18n';
import { CrmOutboxModel, type CrmOutboxClient } from '@/lib/panel/crm-outbox-model';

const NOW = Date.UTC(2026, 10, 27, 9, 0);

function modelWith(status: CrmOutboxStatus, after: CrmOutboxStatus = status) {
  const asked: string[] = [];
  const client: CrmOutboxClient = {
    getCrmOutboxStatus: async () => {
      asked.push('status');
      return status;
    },
    retryCrmOutbox: async () => {
      asked.push('retry');
      return after;
    },
  };
  return { model: new CrmOutboxModel({ client, changes: signal(0), clock: () => NOW }), asked };
}

describe('CrmOutboxModel', () => {
  beforeEach(() => setLocale('en'));
  afterEach(() => setLocale(undefined));

  it.each<[CrmOutboxStatus, string | undefined]>([
    [{ crm: 'amocrm', pending: 3, nextAttemptAt: NOW + 40_000 }, '3 calls not yet logged to amoCRM — retrying in 40 s'],
    [{ crm: 'amocrm', pending: 1 }, '1 call not yet logged to amoCRM — sending…'],
    [{ crm: 'amocrm', pending: 1, wrapUp: 1 }, '1 call not yet logged to amoCRM — sent when you press Done (or 2 min after the call)'],
    // One call still in its wrap-up, another being sent: the queue is sending.
    [{ crm: 'amocrm', pending: 2, wrapUp: 1 }, '2 calls not yet logged to amoCRM — sending…'],
    [
      { crm: 'amocrm', pending: 2, paused: { kind: 'auth', message: 'Authorization failed' } },
      '2 calls not yet logged to amoCRM — paused: amoCRM did not accept the sign-in; reconnect it in the settings',
    ],
    [
      { crm: 'amocrm', pending: 2, paused: { kind: 'forbidden', message: 'Forbidden' } },
      '2 calls not yet logged to amoCRM — paused: amoCRM refused access; check the user’s rights or reconnect in the settings',
    ],
    [{ crm: 'amocrm', pending: 0 }, undefined],
    [{ crm: 'local', pending: 4 }, undefined],
  ])('%j reads %s', async (status, text) => {
    const { model } = modelWith(status);
    await model.refresh();
    expect(model.text.value).toBe(text);
  });

  it('the line says it in Russian too', async () => {
    setLocale('ru');
    const { model } = modelWith({ crm: 'amocrm', pending: 3, nextAttemptAt: NOW + 40_000 });
    await model.refresh();
    expect(model.text.value).toBe('Звонков ещё не записано в amoCRM: 3 — повтор через 40 с');
  });

  it('while a call is being sent, the line is asked again each second and goes as soon as the call is logged', async () => {
    vi.useFakeTimers();
    try {
      const answers: CrmOutboxStatus[] = [
        { crm: 'amocrm', pending: 1 },
        { crm: 'amocrm', pending: 1 },
        { crm: 'amocrm', pending: 0 },
      ];
      let asked = 0;
      const client: CrmOutboxClient = {
        getCrmOutboxStatus: async () => answers[Math.min(asked++, answers.length - 1)]!,
        retryCrmOutbox: async () => answers.at(-1)!,
      };
      const model = new CrmOutboxModel({ client, changes: signal(0), clock: () => NOW });
      model.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(model.text.value).toBe('1 call not yet logged to amoCRM — sending…');
      await vi.advanceTimersByTimeAsync(1000);
      expect(model.text.value).toBe('1 call not yet logged to amoCRM — sending…');
      await vi.advanceTimersByTimeAsync(1000);
      expect(model.text.value).toBeUndefined();
      // Nothing under way: back to the slow poll.
      await vi.advanceTimersByTimeAsync(5000);
      expect(asked).toBe(3);
      model.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a call waiting out its backoff is not asked about before its countdown ends', async () => {
    vi.useFakeTimers();
    try {
      let asked = 0;
      const client: CrmOutboxClient = {
        getCrmOutboxStatus: async () => {
          asked += 1;
          return { crm: 'amocrm', pending: 1, nextAttemptAt: NOW + 40_000 };
        },
        retryCrmOutbox: async () => ({ crm: 'amocrm', pending: 1 }),
      };
      const model = new CrmOutboxModel({ client, changes: signal(0), clock: () => NOW });
      model.start();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(asked).toBe(1);
      expect(model.text.value).toBe('1 call not yet logged to amoCRM — retrying in 40 s');
      model.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('Retry now asks the background and shows what it answers', async () => {
    const { model, asked } = modelWith(
      { crm: 'amocrm', pending: 2, paused: { kind: 'auth', message: 'Authorization failed' } },
      { crm: 'amocrm', pending: 0 },
    );
    await model.refresh();
    expect(model.detail.value).toBe('Authorization failed');
    await model.retry();
    expect(asked).toEqual(['status', 'retry']);
    expect(model.text.value).toBeUndefined();
  });
});
