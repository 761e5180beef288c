import { describe, expect, it } from 'vitest';
import { parseTelHref } from '@/lib/click-to-call/tel-link';

describe('parseTelHref', () => {
  it.each([
    { href: 'tel:+74951234567', expected: { number: '+74951234567', isSipUri: false } },
    { href: 'tel:+7-495-123-45-67', expected: { number: '+74951234567', isSipUri: false } },
    { href: 'tel:8(916)1234567', expected: { number: '89161234567', isSipUri: false } },
    { href: 'TEL:+7%20916%20123%2045%2067', expected: { number: '+79161234567', isSipUri: false } },
    { href: 'tel:+74951234567;ext=123', expected: { number: '+74951234567', ext: '123', isSipUri: false } },
    { href: 'tel:+74951234567;phone-context=example.com', expected: { number: '+74951234567', isSipUri: false } },
    { href: 'sip:+79161234567@pbx.example.com;user=phone', expected: { number: '+79161234567', isSipUri: false } },
    { href: 'sip:alice@pbx.example.com', expected: { number: 'sip:alice@pbx.example.com', isSipUri: true } },
    { href: 'sips:101@pbx.example.com:5061', expected: { number: 'sips:101@pbx.example.com:5061', isSipUri: true } },
  ])('$href', ({ href, expected }) => {
    expect(parseTelHref(href)).toEqual(expected);
  });

  it.each(['tel:', 'tel:call-me', 'mailto:a@example.com', 'https://example.com', 'sip:', 'sip:no-host'])(
    'rejects %s',
    (href) => {
      expect(parseTelHref(href)).toBeUndefined();
    },
  );
});
