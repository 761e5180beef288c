import { isStandardDisposition, STANDARD_DISPOSITIONS } from '@/lib/history/dispositions';
import { tPanel } from '@/lib/i18n/panel-messages';

/** One entry of the disposition picker. */
export interface DispositionChoice {
  /** What is stored on the call: a standard code or the team's own label. */
  value: string;
  label: string;
}

/** A stored disposition in words: a standard code in the agent's language, a team's label as it is. */
export function dispositionLabel(value: string): string {
  return isStandardDisposition(value) ? tPanel(`disposition.${value}`) : value;
}

/**
 * What the picker offers: the team's labels, or the standard list when the team has none. A call's
 * current disposition that is no longer on the list (the list changed since) stays selectable, so
 * opening the picker never silently changes it.
 */
export function dispositionChoices(teamLabels: readonly string[], current?: string): DispositionChoice[] {
  const values: string[] = teamLabels.length > 0 ? [...teamLabels] : [...STANDARD_DISPOSITIONS];
  if (current !== undefined && !values.includes(current)) values.push(current);
  return values.map((value) => ({ value, label: dispositionLabel(value) }));
}
