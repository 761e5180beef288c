/**
 * Host access for click-to-call, the one thing that lets the extension read the pages you open.
 *
 * It is not granted at install: the manifest lists these patterns as optional
 * (`optional_host_permissions` on MV3, `optional_permissions` on MV2), the options page asks for them
 * when the user turns click-to-call on for all sites, and the background registers the content script
 * only while they are granted (`lib/background/click-to-call-registration.ts`).
 */
export const ALL_SITES_ORIGINS: readonly string[] = ['http://*/*', 'https://*/*'];

/** The id of the dynamically registered click-to-call content script. */
export const CLICK_TO_CALL_SCRIPT_ID = 'click-to-call';

/** The content script's bundle, as WXT writes it (`entrypoints/click-to-call.content/`). */
export const CLICK_TO_CALL_SCRIPT_FILE = 'content-scripts/click-to-call.js';
