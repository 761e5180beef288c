import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { isDialLink, telTarget, telTargetText } from '@/lib/detect/tel-link';

describe('telTarget', () => {
  it.each([
    { href: 'tel:+74951234567', target: '+74951234567' },
    { href: 'tel:+7-495-123-45-67', target: '+74951234567' },
    { href: 'tel:+7 (495) 123.45.67', target: '+74951234567' },
    { href: 'TEL:84951234567', target: '84951234567' },
    { href: ' tel:%2B79161234567 ', target: '+79161234567' },
    { href: 'tel:+74951234567;ext=12', target: '+74951234567;ext=12' },
    { href: 'tel:+74951234567;phone-context=example.com', target: '+74951234567' },
    { href: 'sip:+74951234567@pbx.example.com', target: '+74951234567' },
    { href: 'sips:84951234567@pbx.example.com;transport=tls', target: '84951234567' },
    { href: 'callto:+79161234567', target: '+79161234567' },
    { href: 'sip:101@pbx.example.com', target: '101' },
    { href: 'sip:alice@example.com', target: undefined },
    { href: 'tel:', target: undefined },
    { href: 'tel:%E0%A4%A', target: undefined },
    { href: 'tel:*97#', target: undefined },
    { href: 'https://example.com/tel:+74951234567', target: undefined },
  ])('$href → $target', ({ href, target }) => {
    expect(telTarget(href)).toBe(target);
  });

  it('writes a target as text the detector reads', () => {
    expect(telTargetText('+74951234567;ext=12')).toBe('+74951234567 ext. 12');
    expect(telTargetText('84951234567')).toBe('84951234567');
  });
});

describe('isDialLink', () => {
  const { document } = parseHTML(
    '<a id="t" href="tel:1">x</a><a id="s" href="sip:a@b">x</a><a id="h" href="https://x">x</a><a id="n">x</a><span id="p" href="tel:1">x</span>',
  );
  it.each([
    { id: 't', dials: true },
    { id: 's', dials: true },
    { id: 'h', dials: false },
    { id: 'n', dials: false },
    { id: 'p', dials: false },
  ])('#$id → $dials', ({ id, dials }) => {
    expect(isDialLink(document.getElementById(id)!)).toBe(dials);
  });
});
