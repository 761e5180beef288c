/**
 * The few `chrome.*` APIs the end-to-end tests call inside the extension's service worker through
 * puppeteer's evaluate(); those functions run in the browser, but are type-checked here.
 */
declare namespace chrome {
  namespace runtime {
    type ContextType = 'OFFSCREEN_DOCUMENT' | 'SIDE_PANEL' | 'TAB' | 'POPUP' | 'BACKGROUND';
    function getContexts(filter: { contextTypes?: ContextType[] }): Promise<unknown[]>;
    function sendMessage(message: unknown): Promise<unknown>;
  }
  namespace storage {
    interface Area {
      get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    }
    const local: Area;
    const session: Area;
  }
  namespace notifications {
    function getAll(): Promise<Record<string, boolean>>;
  }
  namespace action {
    function getBadgeText(details: { tabId?: number }): Promise<string>;
  }
  namespace scripting {
    function getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<{ id: string; matches?: string[] }[]>;
  }
  namespace permissions {
    function contains(permissions: { origins?: string[] }): Promise<boolean>;
    function remove(permissions: { origins?: string[] }): Promise<boolean>;
  }
  namespace alarms {
    function get(name: string): Promise<{ name: string; scheduledTime: number } | undefined>;
  }
}
