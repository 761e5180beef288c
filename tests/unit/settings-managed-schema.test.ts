import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { NewNumberRuleSchema } from '@/lib/settings/after-call-settings';
import { AfterCallPolicySchema, ManagedPolicySchema } from '@/lib/settings/managed-policy';
import { DialFormatSchema, DtmfMethodSchema, RecordingPolicySchema } from '@/lib/settings/settings-schema';

beforeEach(() => {
  fakeBrowser.reset();
});

interface JsonSchema {
  type: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

const schema = JSON.parse(
  readFileSync(new URL('../../public/managed_schema.json', import.meta.url), 'utf8'),
) as JsonSchema;

describe('public/managed_schema.json', () => {
  it('declares exactly the keys ManagedPolicySchema reads', () => {
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(Object.keys(ManagedPolicySchema.shape).sort());
  });

  it.each([
    ['wsServer', 'string'],
    ['sipUri', 'string'],
    ['authUser', 'string'],
    ['password', 'string'],
    ['displayName', 'string'],
    ['iceServers', 'array'],
    ['defaultCountry', 'string'],
    ['dialFormat', 'string'],
    ['declineCode', 'integer'],
    ['allowUserAccounts', 'boolean'],
    ['recording', 'string'],
    ['recordingNotice', 'boolean'],
    ['recordingRetentionDays', 'integer'],
    ['recordingMaxMb', 'integer'],
    ['dtmfMethod', 'string'],
    ['afterCall', 'object'],
  ])('types %s as %s', (key, type) => {
    expect(schema.properties?.[key]?.type).toBe(type);
  });

  it('lists the same choices as the settings schema', () => {
    expect(schema.properties?.dialFormat?.enum).toEqual(DialFormatSchema.options);
    expect(schema.properties?.declineCode?.enum).toEqual([486, 603]);
    for (const code of [486, 603, 404]) {
      expect(ManagedPolicySchema.shape.declineCode.safeParse(code).success).toBe(
        schema.properties?.declineCode?.enum?.includes(code),
      );
    }
  });

  it('lists the same recording policies as the settings schema', () => {
    expect(schema.properties?.recording?.enum).toEqual(RecordingPolicySchema.options);
  });

  it('lists the same DTMF methods as the settings schema', () => {
    expect(schema.properties?.dtmfMethod?.enum).toEqual(DtmfMethodSchema.options);
  });

  it('declares each after-call rule the policy reads, typed as the settings type it', () => {
    const rules = schema.properties?.afterCall?.properties ?? {};
    expect(Object.keys(rules).sort()).toEqual(Object.keys(AfterCallPolicySchema.shape).sort());
    expect(rules.callbackTask?.type).toBe('boolean');
    // Fractions of a minute are allowed (a 30-second SLA), so not 'integer'.
    expect(rules.callbackDueMinutes?.type).toBe('number');
    expect(rules.answeredNote?.type).toBe('boolean');
    expect(rules.newNumber?.type).toBe('string');
    expect(rules.newNumber?.enum).toEqual(NewNumberRuleSchema.options);
  });

  it('describes ICE servers as RTCPeerConnection takes them', () => {
    const item = schema.properties?.iceServers?.items;
    expect(item?.type).toBe('object');
    expect(item?.properties).toEqual({
      urls: expect.objectContaining({ type: 'string' }),
      username: { type: 'string' },
      credential: { type: 'string' },
    });
  });
});
