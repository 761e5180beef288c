import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { describeSettingsPath, fieldLabel } from '@/components/options/field-labels';
import { setLocale } from '@/lib/i18n/i18n';

beforeEach(() => {
  fakeBrowser.reset();
  setLocale('en');
});

afterEach(() => {
  setLocale(undefined);
});

describe('describeSettingsPath', () => {
  it.each<[(string | number)[], string]>([
    [['accounts', 1, 'sipUri'], 'Account 2 · SIP address'],
    [['accounts', 0, 'iceServers', 2, 'urls'], 'Account 1 · STUN/TURN servers · 3 · urls'],
    [['accounts'], 'accounts'],
    [['defaultCountry'], 'Default country for numbers'],
  ])('says %j as %j', (path, text) => {
    expect(describeSettingsPath(path)).toBe(text);
  });

  it('speaks Russian on a Russian page', () => {
    setLocale('ru');
    expect(describeSettingsPath(['accounts', 0, 'password'])).toBe('Аккаунт 1 · Пароль');
    expect(fieldLabel('wsServer')).toBe('WebSocket-сервер');
  });
});
