import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

/**
 * The end-to-end tests find the panel's elements by these `data-testid`s; renaming one breaks them
 * silently, so this test pins the names to the component sources.
 */
const E2E_TEST_IDS = [
  'registration-status',
  'registration-failure',
  'retry-registration',
  'dial-input',
  'dial-preview',
  'dial-call',
  'dialpad-key-${key.char}',
  'call-${call.id}',
  'call-remote',
  'call-timer',
  'call-mute',
  'call-hangup',
  'call-answer',
  'call-decline',
  'call-ended',
  'open-options',
  'mic-warning',
  'tab-phone',
  'tab-history',
  'history-filter-${filter}',
  'history-row-${row.callId}',
  'history-callback',
  'history-note-input',
  'history-note-save',
  'history-search',
  'history-open-timeline',
  'timeline',
  'timeline-back',
  'timeline-entry',
  'message-text',
  'message-status',
  'message-failure',
  'compose-input',
  'history-open-number',
  'history-list',
  'call-record',
  'call-recording',
  'history-recorded',
  'recording-listen',
  'recording-player',
  'recording-download',
  'recording-delete',
  'recording-delete-confirm',
  'tab-analytics',
  'analytics-range-${preset}',
  'analytics-kpi-${tile.id}',
  'analytics-empty',
  'call-keypad',
  'dtmf-key-${key.char}',
  'dtmf-sent',
  'dtmf-error',
  'call-transfer',
  'transfer-input',
  'transfer-now',
  'transfer-ask-first',
  'transfer-complete',
  'transfer-cancel',
  'transfer-status',
  'call-consult-for',
];

const root = join(import.meta.dirname, '../..');
const componentsDir = join(root, 'components/panel');
const components = readdirSync(componentsDir)
  .filter((name) => name.endsWith('.tsx'))
  .map((name) => ({ name, source: readFileSync(join(componentsDir, name), 'utf8') }));
const allSources = components.map((c) => c.source).join('\n');

beforeEach(() => {
  fakeBrowser.reset();
});

describe('side panel structure', () => {
  it.each(E2E_TEST_IDS)('renders data-testid %s', (id) => {
    expect(allSources).toMatch(new RegExp(`(data-testid|testId)=(\\{\`|")${escape(id)}(\`\\}|")`));
  });

  it.each(components)('$name holds no business logic: it neither talks to the browser nor to the background', ({ source }) => {
    expect(source).not.toMatch(/from '#imports'|@\/lib\/messaging|@\/lib\/phone\/snapshot-store|@\/lib\/settings/);
  });

  it('keeps the entrypoint thin: it only wires the model to the view', () => {
    const main = readFileSync(join(root, 'entrypoints/sidepanel/main.tsx'), 'utf8');
    expect(main).toContain('new PhoneModel(');
    expect(main).toMatch(
      /<PhonePanel model=\{model\}( history=\{history\})?( wrapUp=\{wrapUp\})?( analytics=\{analytics\})?( missed=\{missed\})?( callers=\{callers\})?( outbox=\{outbox\})?( callbacks=\{callbacks\})? \/>/,
    );
    // Room for one model per view (phone, history, after-call work, analytics, caller cards, CRM outbox, callbacks) and their wiring, no logic.
    expect(main.split('\n').length).toBeLessThan(74);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
