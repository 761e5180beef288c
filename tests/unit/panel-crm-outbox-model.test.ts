import { signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
