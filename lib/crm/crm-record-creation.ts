import { z } from 'zod';
import { CRM_ERROR_KINDS } from '@/lib/crm/crm-adapter';
import { CrmEntityRefSchema, CrmMatchSchema } from '@/lib/crm/crm-card-schema';

/**
 * "Create contact" / "Create lead" for an unknown caller, in the connected CRM: what the panel asks
 * and what the background answers. The panel never talks to the CRM; it only sends this.
 */

/** Which records the connected CRM can create from the caller's card. */
export const CrmCreatableKindSchema = z.enum(['contact', 'lead']);
export type CrmCreatableKind = z.infer<typeof CrmCreatableKindSchema>;

/** Longest contact or lead name the form sends (amoCRM keeps names to 255 characters). */
export const CRM_RECORD_NAME_MAX = 255;

/** The card's form: the caller's number (fixed), the contact's name, and for a lead its name. */
export const CrmCreateRequestSchema = z.object({
  number: z.string().min(1).max(300),
  kind: CrmCreatableKindSchema,
  contactName: z.string().max(CRM_RECORD_NAME_MAX),
  leadName: z.string().max(CRM_RECORD_NAME_MAX).optional(),
  /** The contact's company, by name (found in the CRM, or created); blank: none. */
  company: z.string().max(CRM_RECORD_NAME_MAX).optional(),
});
export type CrmCreateRequest = z.infer<typeof CrmCreateRequestSchema>;

/**
 * Why nothing (or not all) was created, for the panel to word: the form's own problems, the
 * background's refusals, and the {@link CrmErrorKind}s of the CRM's answer.
 */
export const CrmCreateProblemSchema = z.enum([
  /** The contact's name is blank. */
  'no-name',
  /** "Create lead" with a blank lead name. */
  'no-lead-name',
  /** The number is not a phone number a CRM can store. */
  'bad-number',
  /** No CRM that creates this kind of record is connected (any more). */
  'no-crm',
  /** A create for this number is already under way. */
  'in-progress',
  ...CRM_ERROR_KINDS,
]);
export type CrmCreateProblem = z.infer<typeof CrmCreateProblemSchema>;

/**
 * Created (or, when the number turned out to be known, found): the contact or company the card now
 * shows (`ref`), the lead made for it, and the caller's cards as the refreshed cache has them.
 */
export const CrmCreateResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** `false`: the CRM already had the number, and nothing was created. */
    created: z.boolean(),
    ref: CrmEntityRefSchema,
    lead: CrmEntityRefSchema.optional(),
    numberKey: z.string(),
    matches: z.array(CrmMatchSchema),
    chosen: z.string().optional(),
  }),
  z.object({
    ok: z.literal(false),
    problem: CrmCreateProblemSchema,
    /** For `rate-limited`: when trying again can work. */
    retryAfterMs: z.number().nonnegative().optional(),
    /** "Create lead" whose contact was created but whose lead was not: trying again adds only the lead. */
    contactCreated: z.boolean().optional(),
  }),
]);
export type CrmCreateResult = z.infer<typeof CrmCreateResultSchema>;
