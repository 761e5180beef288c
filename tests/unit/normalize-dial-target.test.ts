import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { normalizeDialTarget, toSipUri, type DialTarget, type NormalizeOptions } from '@/lib/numbers/normalize-dial-target';
import type { DialFormat } from '@/lib/settings/settings-schema';

beforeEach(() => {
  fakeBrowser.reset();
});

const RU: NormalizeOptions = { defaultCountry: 'RU', dialFormat: 'e164' };
const US: NormalizeOptions = { defaultCountry: 'US', dialFormat: 'e164' };

const NBSP = '\u00a0';
const THIN = '\u2009';
const NARROW_NBSP = '\u202f';
const EN_DASH = '\u2013';
const MINUS = '\u2212';

const MOSCOW_MOBILE = {
  kind: 'phone',
  e164: '+79161234567',
  dial: '+79161234567',
  display: '+7 916 123 45 67',
} as const satisfies DialTarget;

describe('normalizeDialTarget', () => {
  it.each([
    { input: '+7 (916) 123-45-67', why: 'international, brackets and hyphens' },
    { input: '8 916 123 45 67', why: 'national trunk prefix 8' },
    { input: '8(916)1234567', why: 'national, no spaces' },
    { input: '89161234567', why: 'national, digits only' },
    { input: '+79161234567', why: 'E.164 as is' },
    { input: '  +7 916 123 45 67  ', why: 'surrounding blanks' },
    { input: `+7 916 123${EN_DASH}45${EN_DASH}67`, why: 'en-dashes' },
    { input: `+7 916 123${MINUS}45${MINUS}67`, why: 'minus signs' },
    { input: `+7${NBSP}916${NBSP}123${NBSP}45${NBSP}67`, why: 'no-break spaces' },
    { input: `+7${THIN}916${THIN}123${THIN}45${THIN}67`, why: 'thin spaces' },
    { input: `+7${NARROW_NBSP}916${NARROW_NBSP}123${NARROW_NBSP}45${NARROW_NBSP}67`, why: 'narrow no-break spaces' },
    { input: `8${THIN}(916)${THIN}123-45-67`, why: 'thin spaces in a national number' },
  ])('reads $input ($why) as +79161234567 with RU as the default country', ({ input }) => {
    expect(normalizeDialTarget(input, RU)).toEqual({ ok: true, target: MOSCOW_MOBILE });
  });

  it.each([
    {
      input: '00 44 20 7946 0958',
      options: RU,
      target: { kind: 'phone', e164: '+442079460958', dial: '+442079460958', display: '+44 20 7946 0958' },
    },
    {
      input: `00${NBSP}44${NBSP}20${NBSP}7946${NBSP}0958`,
      options: RU,
      target: { kind: 'phone', e164: '+442079460958', dial: '+442079460958', display: '+44 20 7946 0958' },
    },
    {
      input: '+1 212-555-0100',
      options: RU,
      target: { kind: 'phone', e164: '+12125550100', dial: '+12125550100', display: '+1 212 555 0100' },
    },
    {
      input: '+1 212-555-0100 ext. 12',
      options: RU,
      target: {
        kind: 'phone',
        e164: '+12125550100',
        dial: '+12125550100',
        display: '+1 212 555 0100 ext. 12',
        extension: '12',
      },
    },
    {
      input: '(212) 555-0100',
      options: US,
      target: { kind: 'phone', e164: '+12125550100', dial: '+12125550100', display: '+1 212 555 0100' },
    },
    {
      input: '8 800 555 35 35',
      options: RU,
      target: { kind: 'phone', e164: '+78005553535', dial: '+78005553535', display: '+7 800 555 35 35' },
    },
  ] satisfies { input: string; options: NormalizeOptions; target: DialTarget }[])(
    'reads $input with default country $options.defaultCountry',
    ({ input, options, target }) => {
      expect(normalizeDialTarget(input, options)).toEqual({ ok: true, target });
    },
  );

  it.each([
    { input: '101', dial: '101' },
    { input: '1001', dial: '1001' },
    { input: '10 01', dial: '1001' },
    { input: '123456', dial: '123456' },
    { input: '*97', dial: '*97' },
    { input: '#21#', dial: '#21#' },
    { input: '*21*89161234567#', dial: '*21*89161234567#' },
  ])('dials $input untouched as an internal number or feature code', ({ input, dial }) => {
    expect(normalizeDialTarget(input, RU)).toEqual({ ok: true, target: { kind: 'extension', dial, display: dial } });
  });

  it.each([
    { input: 'sip:bob@pbx.example.com', display: 'bob@pbx.example.com' },
    { input: 'sips:bob@pbx.example.com:5061', display: 'bob@pbx.example.com:5061' },
    { input: 'SIP:alice@10.0.0.1;transport=ws', display: 'alice@10.0.0.1' },
  ])('dials the SIP address $input as is', ({ input, display }) => {
    expect(normalizeDialTarget(input, RU)).toEqual({ ok: true, target: { kind: 'sip', uri: input, display } });
  });

  it.each([
    { input: '', error: 'empty' },
    { input: '   ', error: 'empty' },
    { input: `${NBSP}\t\n`, error: 'empty' },
    { input: 'hello', error: 'invalid' },
    { input: 'call me', error: 'invalid' },
    { input: '1'.repeat(65), error: 'too-long' },
    { input: `+7 ${'9'.repeat(70)}`, error: 'too-long' },
    { input: 'sip:', error: 'invalid' },
    { input: 'sip:bob', error: 'invalid' },
    { input: 'sip:@pbx.example.com', error: 'invalid' },
    { input: 'sip:bob@', error: 'invalid' },
    { input: 'sip:bob smith@pbx.example.com', error: 'invalid' },
    { input: '+7 916', error: 'invalid' },
    { input: '+7 916 123 45 67 89', error: 'invalid' },
    { input: '1234567', error: 'invalid' },
  ] as const)('rejects $input as $error', ({ input, error }) => {
    expect(normalizeDialTarget(input, RU)).toEqual({ ok: false, error });
  });

  it('accepts 64 characters and no more', () => {
    const host = '@pbx.example.com';
    const at64 = `sip:${'a'.repeat(64 - 'sip:'.length - host.length)}${host}`;
    expect(at64).toHaveLength(64);
    expect(normalizeDialTarget(at64, RU)).toMatchObject({ ok: true, target: { kind: 'sip' } });
    expect(normalizeDialTarget(`sip:a${at64.slice(4)}`, RU)).toEqual({ ok: false, error: 'too-long' });
  });

  describe('dial formats', () => {
    it.each([
      { input: '+7 916 123-45-67', dialFormat: 'e164', dial: '+79161234567' },
      { input: '+7 916 123-45-67', dialFormat: 'e164-no-plus', dial: '79161234567' },
      { input: '+7 916 123-45-67', dialFormat: 'national', dial: '89161234567' },
      { input: '8 916 123-45-67', dialFormat: 'national', dial: '89161234567' },
      { input: '+44 20 7946 0958', dialFormat: 'e164', dial: '+442079460958' },
      { input: '+44 20 7946 0958', dialFormat: 'e164-no-plus', dial: '442079460958' },
      // A foreign number has no national form in Russia's dial plan: it stays international.
      { input: '+44 20 7946 0958', dialFormat: 'national', dial: '+442079460958' },
      { input: '+1 212 555 0100', dialFormat: 'national', dial: '+12125550100' },
    ] satisfies { input: string; dialFormat: DialFormat; dial: string }[])(
      'sends $input as $dial with dial format $dialFormat (RU)',
      ({ input, dialFormat, dial }) => {
        const result = normalizeDialTarget(input, { defaultCountry: 'RU', dialFormat });
        expect(result).toMatchObject({ ok: true, target: { kind: 'phone', dial } });
      },
    );

    it.each([
      { dialFormat: 'e164', dial: '+12125550100' },
      { dialFormat: 'e164-no-plus', dial: '12125550100' },
      { dialFormat: 'national', dial: '2125550100' },
    ] satisfies { dialFormat: DialFormat; dial: string }[])(
      'sends (212) 555-0100 as $dial with dial format $dialFormat (US)',
      ({ dialFormat, dial }) => {
        expect(normalizeDialTarget('(212) 555-0100', { defaultCountry: 'US', dialFormat })).toMatchObject({
          ok: true,
          target: { kind: 'phone', e164: '+12125550100', dial },
        });
      },
    );

    it.each(['e164', 'e164-no-plus', 'national'] satisfies DialFormat[])(
      'leaves extensions and SIP addresses alone with dial format %s',
      (dialFormat) => {
        const options = { defaultCountry: 'RU', dialFormat };
        expect(normalizeDialTarget('101', options)).toMatchObject({ ok: true, target: { kind: 'extension', dial: '101' } });
        expect(normalizeDialTarget('sip:bob@pbx.example.com', options)).toMatchObject({
          ok: true,
          target: { kind: 'sip', uri: 'sip:bob@pbx.example.com' },
        });
      },
    );
  });
});

describe('toSipUri', () => {
  const target = (input: string, options: NormalizeOptions = RU): DialTarget => {
    const result = normalizeDialTarget(input, options);
    if (!result.ok) throw new Error(`${input}: ${result.error}`);
    return result.target;
  };

  it.each([
    { input: '+7 916 123-45-67', options: RU, uri: 'sip:+79161234567@pbx.example.com' },
    {
      input: '+7 916 123-45-67',
      options: { defaultCountry: 'RU', dialFormat: 'national' },
      uri: 'sip:89161234567@pbx.example.com',
    },
    { input: '101', options: RU, uri: 'sip:101@pbx.example.com' },
    { input: '*97', options: RU, uri: 'sip:*97@pbx.example.com' },
    { input: '#21#', options: RU, uri: 'sip:%2321%23@pbx.example.com' },
    { input: '*21*101#', options: RU, uri: 'sip:*21*101%23@pbx.example.com' },
  ] satisfies { input: string; options: NormalizeOptions; uri: string }[])(
    'addresses $input as $uri',
    ({ input, options, uri }) => {
      expect(toSipUri(target(input, options), 'pbx.example.com')).toBe(uri);
    },
  );

  it('keeps the port of the account host', () => {
    expect(toSipUri(target('101'), 'pbx.example.com:5080')).toBe('sip:101@pbx.example.com:5080');
  });

  it('never leaves a raw # in the user part', () => {
    for (const input of ['#21#', '##002#', '*#06#']) {
      const uri = toSipUri(target(input), 'pbx.example.com');
      expect(uri.slice(0, uri.indexOf('@'))).not.toContain('#');
    }
  });

  it('returns a SIP address unchanged, whatever the account host', () => {
    expect(toSipUri(target('sip:bob@other.example.org'), 'pbx.example.com')).toBe('sip:bob@other.example.org');
  });
});
