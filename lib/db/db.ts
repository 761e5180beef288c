import { AppDb } from '@/lib/db/app-db';

/**
 * The history database of this extension. Only the background opens it (STYLE rule 2: in a content
 * script IndexedDB would be the page's). Dexie opens it on first use.
 */
export const db = new AppDb();
