import { storage } from '#imports';

/**
 * Whether Do not disturb is on: the panel's quick toggle, kept apart from the settings so that a
 * toggle never races an options form being edited. In `local:` storage, so it survives a stopped
 * worker and a browser restart; only the background writes it (`setDoNotDisturb`).
 */
export const doNotDisturbItem = storage.defineItem<boolean>('local:doNotDisturb', { fallback: false });
