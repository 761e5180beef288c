import { browser, type Browser } from '#imports';

/** Firefox's sidebar API (absent from Chrome's typings). */
interface SidebarAction {
  isOpen(details: { windowId?: number }): Promise<boolean>;
  open(): Promise<void>;
  toggle(): Promise<void>;
}

/** `browser.sidebarAction` on Firefox. */
export function sidebarAction(): SidebarAction {
  return (browser as unknown as { sidebarAction: SidebarAction }).sidebarAction;
}

/** Whether the side panel (Chrome) or sidebar (Firefox) is open in any window. */
export async function isPanelOpen(): Promise<boolean> {
  try {
    if (import.meta.env.FIREFOX) return await sidebarAction().isOpen({});
    const panels = await browser.runtime.getContexts({
      contextTypes: ['SIDE_PANEL' as Browser.runtime.ContextType],
    });
    return panels.length > 0;
  } catch {
    return false;
  }
}

/** Opens the panel where the browser allows it without a fresh user gesture; false otherwise. */
export async function openPanel(): Promise<boolean> {
  try {
    if (import.meta.env.FIREFOX) {
      await sidebarAction().open();
      return true;
    }
    const window = await browser.windows.getLastFocused();
    if (window.id === undefined) return false;
    await browser.sidePanel.open({ windowId: window.id });
    return true;
  } catch {
    return false;
  }
}
