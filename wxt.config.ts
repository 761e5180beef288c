import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { ALL_SITES_ORIGINS } from './lib/settings/page-access';

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
  // `npm run zip`: the Chrome and Firefox packages, and the sources archive Mozilla's add-on store asks for
  // with a Firefox submission. The sources are exactly what `npm ci && npm run build:firefox` reads
  // (README, "Rebuilding from the sources archive"); tests, scripts and the harness are left out.
  // `scripts/check-packages.ts` rebuilds from the archive and compares with the package.
  zip: {
    includeSources: [
      'README.md',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'wxt.config.ts',
      'entrypoints/**',
      'components/**',
      'lib/**',
      'public/**',
    ],
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // storage: settings and the mirrored phone state; notifications: ringing call while the panel is closed;
    // contextMenus: "Call <selection>"; offscreen: the phone engine on Chrome (no WebRTC in a service
    // worker); sidePanel: the panel. No host access at install: see optional_host_permissions below.
    permissions: [
      'storage',
      // Recordings and years of call history outgrow the default quota; call rows are never evicted.
      'unlimitedStorage',
      'notifications',
      'contextMenus',
      // A heartbeat while calls are up, so a call cut off by a crash keeps its talk time.
      'alarms',
      // The click-to-call content script is registered at run time, only while the user allows page
      // access (Firefox has `scripting` in MV2 since 102).
      'scripting',
      // The shortcut "Call selection" reads the selection of the tab it was pressed in, also where
      // click-to-call has no access (a keyboard command grants activeTab for that tab).
      'activeTab',
      // identity.launchWebAuthFlow: the amoCRM OAuth sign-in window (no install warning on Chrome).
      'identity',
      ...(browser === 'firefox' ? [] : ['offscreen', 'sidePanel']),
    ],
    // The CRM's API (amoCRM / Kommo accounts live on these domains), asked for only when the user
    // connects an account on the options page, and then only for that account's host. Pages (http and
    // https), asked for only when the user turns click-to-call on for all sites.
    ...(manifestVersion === 3
      ? { optional_host_permissions: [...AMO_HOST_PATTERNS, ...ALL_SITES_ORIGINS] }
      : { optional_permissions: [...AMO_HOST_PATTERNS, ...ALL_SITES_ORIGINS] }),
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
            // Firefox for Android knows data_collection_permissions from 142 on (web-ext lint
            // KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION with 140).
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
