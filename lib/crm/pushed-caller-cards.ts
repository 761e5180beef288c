import { storage } from '#imports';
import { z } from 'zod';
import { CrmMatchSchema } from '@/lib/crm/crm-card-schema';

/**
 * Who is calling on one ringing or dialling call, as the background found it: first from the contact
 * cache, then again when the CRM has answered. `at` (epoch ms) orders the answers.
 */
export const PushedCallerCardSchema = z.object({
  number: z.string(),
  numberKey: z.string(),
  matches: z.array(CrmMatchSchema),
  chosen: z.string().optional(),
  at: z.number(),
});
export type PushedCallerCard = z.infer<typeof PushedCallerCardSchema>;

/** The pushed cards by call id; only calls that are up are kept. */
export const PushedCallerCardsSchema = z.record(z.string(), PushedCallerCardSchema);
export type PushedCallerCards = z.infer<typeof PushedCallerCardsSchema>;

/**
 * The screen pop's cards, written by the background into session storage as soon as a call starts
 * ringing or dialling and again when the CRM answers, so a panel shows the card with the ringing call
 * without asking, and a card fetched from the CRM after a cold cache reaches the panel by itself.
 * Panels validate what they read (an older version may have written it).
 */
export const pushedCallerCardsItem = storage.defineItem<PushedCallerCards>('session:callerCards', { fallback: {} });
