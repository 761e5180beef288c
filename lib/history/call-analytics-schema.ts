import { z } from 'zod';
import { CallOutcomeSchema } from '@/lib/db/call-record';
import type { CallAnalytics } from '@/lib/history/analytics';

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();

const CountsShape = {
  calls: count,
  inbound: count,
  outbound: count,
  answered: count,
  missed: count,
  talkMs: ms,
};

const NumberStatsSchema = z.object({ numberKey: z.string(), name: z.string().optional(), calls: count, talkMs: ms });

/**
 * {@link CallAnalytics} as it crosses from the background to the panel (`getAnalytics`): the panel
 * checks what it is given, like every reply.
 */
export const CallAnalyticsSchema = z.object({
  from: z.number(),
  to: z.number(),
  timeZone: z.string(),
  ...CountsShape,
  outcomes: z.record(CallOutcomeSchema, count),
  averageRingMs: ms.optional(),
  averageTalkMs: ms.optional(),
  byDay: z.array(z.object({ day: z.iso.date(), ...CountsShape })),
  byHour: z.array(z.object({ hour: z.number().int().min(0).max(23), ...CountsShape })).length(24),
  callbacks: z.object({
    missed: count,
    calledBack: count,
    neverCalledBack: count,
    averageMs: ms.optional(),
    worstMs: ms.optional(),
  }),
  topByCalls: z.array(NumberStatsSchema),
  topByTalk: z.array(NumberStatsSchema),
});

// The schema and the interface must describe the same object: this fails to compile if they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<z.infer<typeof CallAnalyticsSchema>, CallAnalytics> = true;
void schemaMatchesInterface;

/** Longest range the panel may ask analytics of (ten years). */
export const MAX_ANALYTICS_DAYS = 3_660;

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The request of `getAnalytics`: a range of instants and the zone its days are counted in. */
export const AnalyticsRequestSchema = z
  .object({
    /** Start (epoch ms, included). */
    from: z.number().int().nonnegative(),
    /** End (epoch ms, excluded). */
    to: z.number().int().nonnegative(),
    timeZone: z.string().min(1).max(100).refine(isTimeZone, { message: 'unknown time zone' }),
  })
  .refine(({ from, to }) => to > from, { message: 'the range must end after it starts', path: ['to'] })
  .refine(({ from, to }) => to - from <= MAX_ANALYTICS_DAYS * 86_400_000, {
    message: `the range must be at most ${MAX_ANALYTICS_DAYS} days long`,
    path: ['to'],
  });
