import type { AppDb } from '@/lib/db/app-db';
import { NotFoundError } from '@/lib/util/exception';

/**
 * Sets (or, with `undefined`, clears) the disposition of a call by its history id, stamping
 * `updatedAt`. The journal never writes this field, so a later snapshot of a live call keeps it.
 *
 * Rejects with `NotFoundError` for an unknown call.
 */
export async function setCallDisposition(
  db: AppDb,
  callId: string,
  disposition: string | undefined,
  now: number,
): Promise<void> {
  const changed = await db.transaction('rw', db.calls, async () => {
    const call = await db.calls.get(callId);
    if (!call) return false;
    const { disposition: _previous, ...rest } = call;
    await db.calls.put({
      ...rest,
      ...(disposition === undefined ? {} : { disposition }),
      updatedAt: Math.max(now, call.updatedAt),
    });
    return true;
  });
  if (!changed) throw new NotFoundError(`no such call: ${callId}`);
}
