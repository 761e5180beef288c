import { browser } from '#imports';
import type { EngineLink } from '@/lib/background/engine-link';
import { createOffscreenEngineLink } from '@/lib/background/offscreen-engine-link';
import { startCallCommands } from '@/lib/background/call-commands';
import { startCallbackRemindersHub } from '@/lib/background/callback-reminders-hub';
import { startClickToCallHub } from '@/lib/background/click-to-call-hub';
import { startClickToCallRegistration } from '@/lib/background/click-to-call-registration';
import { startHistoryHub } from '@/lib/background/history-hub';
import { startMissedCallsHub } from '@/lib/background/missed-calls-hub';
import { sidebarAction } from '@/lib/background/panel-presence';
import { startPhoneHub, type PhoneHub } from '@/lib/background/phone-hub';
import { EngineToBackground } from '@/lib/messaging/engine-to-background';
import { createHandler } from '@/lib/messaging/protocol';
import { isOwnExtensionPage, listenRuntimeMessages } from '@/lib/messaging/runtime-transport';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('background');

/**
 * Wires the background for this browser: which engine link, how the toolbar button opens the panel,
 * and a reconciliation with the engine at every start (the worker may have been stopped for a while).
 */
export function wireBackground(manifestVersion: number): PhoneHub {
  let hub: PhoneHub | undefined;
  const link: EngineLink = import.meta.env.FIREFOX ? lazyInProcessLink(() => hub!) : createOffscreenEngineLink();
  hub = startPhoneHub(link, startHistoryHub());
  startClickToCallHub(hub);
  startClickToCallRegistration();
  startCallCommands(hub);
  startMissedCallsHub(hub);
  startCallbackRemindersHub(hub);

  if (!import.meta.env.FIREFOX) {
    const events = hub.engineEvents;
    listenRuntimeMessages(
      createHandler(EngineToBackground, events, {
        isAllowedSender: (sender) => sender !== undefined && isOwnExtensionPage(sender, '/offscreen.html'),
      }),
    );
    browser.sidePanel
      .setPanelBehavior({ openPanelOnActionClick: true })
      .catch((error: unknown) => log.warn('side panel behaviour not set', error));
  } else if (manifestVersion === 2) {
    browser.browserAction.onClicked.addListener(() => void sidebarAction().toggle());
  }

  hub.reconcile().catch((error: unknown) => log.error('reconcile failed', error));
  return hub;
}

/** Loads the engine (SIP.js) into Firefox's background page on first use only. */
function lazyInProcessLink(hub: () => PhoneHub): EngineLink {
  let link: Promise<EngineLink> | undefined;
  return {
    async connect() {
      link ??= import('@/lib/background/in-process-engine-link').then((m) => m.createInProcessEngineLink(hub));
      return (await link).connect();
    },
  };
}
