import { z } from 'zod';

/**
 * Why a transfer did not happen, in categories the panel words; the call with the caller goes on
 * in every case.
 */
export const TransferFailureSchema = z.enum([
  /** The far end or the server answered the REFER with an error (403, 405, 501, 488…). */
  'refused',
  /** The REFER was accepted, but the caller's call to the target failed (NOTIFY 3xx-6xx). */
  'target-failed',
  /** The REFER was accepted, but no final word on the caller's call to the target came in time. */
  'no-outcome',
  /** The consult call to the target was not answered or was refused. */
  'consult-failed',
  /** The target hung up the consult call before the transfer was completed. */
  'consult-ended',
  /** The REFER could not be sent (the call's dialog is gone, a local error). */
  'failed',
]);
export type TransferFailure = z.infer<typeof TransferFailureSchema>;
