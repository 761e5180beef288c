import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

/** The amoCRM / Kommo account domains (`lib/crm/amocrm/amo-host.ts` AMO_HOST_PERMISSIONS). */
const AMO_HOST_PATTERNS = ['https://*.amocrm.ru/*', 'https://*.amocrm.com/*', 'https://*.kommo.com/*'];

/**
 * Build configuration for Chrome (MV3) and Firefox (MV2).
 *
 * Chrome runs the phone engine in an offscreen document, Firefox in its persistent background page
 * (Firefox has no offscreen API, but its background page has WebRTC).
 */
export default defineConfig({
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // storage: settings and the mirrored phone state; notifications: ringing call while the panel is closed;
    // contextMenus: "Call <selection>"; offscreen: the phone engine on Chrome (no WebRTC in a service
    // worker); sidePanel: the panel. Host access comes from the click-to-call content script's matches.
    permissions: [
      'storage',
      // Recordings and years of call history outgrow the default quota; call rows are never evicted.
      'unlimitedStorage',
      'notifications',
      'contextMenus',
      // A heartbeat while calls are up, so a call cut off by a crash keeps its talk time.
      'alarms',
      // identity.launchWebAuthFlow: the amoCRM OAuth sign-in window (no install warning on Chrome).
      'identity',
      ...(browser === 'firefox' ? [] : ['offscreen', 'sidePanel']),
    ],
    // The CRM's API (amoCRM / Kommo accounts live on these domains), asked for only when the user
    // connects an account on the options page, and then only for that account's host.
    ...(manifestVersion === 3
      ? { optional_host_permissions: AMO_HOST_PATTERNS }
      : { optional_permissions: AMO_HOST_PATTERNS }),
    // Global shortcuts; users change them at chrome://extensions/shortcuts (about:addons on Firefox).
    // Chrome takes at most four suggested keys: C, A, H and P (hold: "pause") are used; mute has
    // none. The call shortcuts act in `lib/background/call-commands.ts`.
    commands: {
      'call-selection': {
        suggested_key: { default: 'Alt+Shift+C' },
        description: '__MSG_commandCallSelection__',
      },
      'answer-call': {
        suggested_key: { default: 'Alt+Shift+A' },
        description: '__MSG_commandAnswerCall__',
      },
      'hangup-call': {
        suggested_key: { default: 'Alt+Shift+H' },
        description: '__MSG_commandHangupCall__',
      },
      'toggle-mute': {
        description: '__MSG_commandToggleMute__',
      },
      'toggle-hold': {
        suggested_key: { default: 'Alt+Shift+P' },
        description: '__MSG_commandToggleHold__',
      },
    },
    ...(manifestVersion === 3
      ? {
          action: { default_title: '__MSG_extName__' },
          side_panel: { default_path: 'sidepanel.html' },
          storage: { managed_schema: 'managed_schema.json' },
        }
      : {
          browser_action: { default_title: '__MSG_extName__' },
        }),
    ...(browser === 'firefox'
      ? {
          // 140 (the current ESR) is the first Firefox with the CSS Custom Highlight API, which
          // click-to-call marks numbers with.
          browser_specific_settings: {
            gecko: {
              id: 'softphone@crm-softphone.org',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '140.0' },
          },
        }
      : {}),
  }),
});
