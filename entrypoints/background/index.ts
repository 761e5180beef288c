import { browser, defineBackground } from '#imports';
import { wireBackground } from '@/lib/background/wire-background';

export default defineBackground(() => {
  // Listeners must be registered synchronously at every start of the worker, before any await.
  wireBackground(browser.runtime.getManifest().manifest_version);
});
