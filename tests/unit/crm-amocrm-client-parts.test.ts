import { describe, expect, it } from 'vitest';
import { AMO_CALL_STATUS } from '@/lib/crm/amocrm/amo-call-status';
import { crmErrorForStatus, problemDetail, retryAfterMs } from '@/lib/crm/amocrm/amo-status-error';
import { mergeTimeline } from '@/lib/crm/amocrm/amo-timeline';
import { TokenBucket } from '@/lib/crm/amocrm/token-bucket';

/** A bucket on a hand-driven clock: `sleep` advances time instead of waiting. */
function manualBucket(capacity: number, refillPerSecond: number) {
  let now = 0;
  const taken: number[] = [];
  const bucket = new TokenBucket({
    capacity,
    refillPerSecond,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  });
  const take = async (): Promise<void> => {
    await bucket.take();
    taken.push(now);
  };
  return { take, taken };
}

describe('TokenBucket', () => {
  it('lets a burst of `capacity` go at once, then one per 1/rate seconds, in order', async () => {
    const { take, taken } = manualBucket(2, 4.5);
    await Promise.all(Array.from({ length: 6 }, take));
    expect(taken).toEqual([0, 0, 223, 445, 667, 889]);
  });

  it('never lets more than 7 go in any one-second window with the amoCRM figures', async () => {
    const { take, taken } = manualBucket(2, 4.5);
    await Promise.all(Array.from({ length: 50 }, take));
    const worst = Math.max(...taken.map((start) => taken.filter((at) => at >= start && at < start + 1000).length));
    expect(worst).toBeLessThanOrEqual(7);
  });
});

describe('amoCRM status handling', () => {
  it.each([
    [401, 'auth', false],
    [403, 'forbidden', false],
    [404, 'not-found', false],
    [400, 'validation', false],
    [429, 'rate-limited', true],
    [500, 'server', true],
    [502, 'server', true],
    [504, 'server', true],
  ] as const)('%i → %s (retryable: %s)', (status, kind, retryable) => {
    const error = crmErrorForStatus(status, undefined, null);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
  });

  it('429 waits as Retry-After says, or 1 s without it', () => {
    expect(crmErrorForStatus(429, undefined, '3').retryAfterMs).toBe(3000);
    expect(crmErrorForStatus(429, undefined, null).retryAfterMs).toBe(1000);
    expect(retryAfterMs('Fri, 27 Nov 2026 10:00:05 GMT', Date.UTC(2026, 10, 27, 10, 0, 0))).toBe(5000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('words a problem+json body with its validation errors', () => {
    const body = {
      'validation-errors': [{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'text', detail: 'This field is missing.' }] }],
      title: 'Bad Request',
      status: 400,
      detail: 'Request validation failed',
    };
    expect(problemDetail(body)).toBe('Request validation failed; text: This field is missing.');
    expect(crmErrorForStatus(400, body, null).message).toContain('text: This field is missing.');
  });

  it('maps every call outcome to one of amoCRM’s seven call statuses', () => {
    expect(Object.values(AMO_CALL_STATUS).every((code) => code >= 1 && code <= 7)).toBe(true);
  });
});

describe('mergeTimeline', () => {
  it('maps note and event types to kinds, keeps an event whose note is not there, and caps the list', () => {
    const items = mergeTimeline(
      [
        { id: 1, note_type: 'sms_out', params: { text: 'Счёт отправлен' }, created_at: 10 },
        { id: 2, note_type: 'amomail_message', params: { text: 'Re: счёт' }, created_at: 20 },
      ],
      [
        { id: 'e1', type: 'outgoing_call', created_at: 30, value_after: [{ note: { id: 99 } }] },
        { id: 'e2', type: 'task_completed', created_at: 5 },
        { id: 'e3', type: 'common_note_added', created_at: 40 },
      ],
      3,
    );
    expect(items.map((item) => [item.id, item.kind, item.direction])).toEqual([
      ['event:e1', 'call', 'outbound'],
      ['note:2', 'email', undefined],
      ['note:1', 'sms', 'outbound'],
    ]);
  });
});
