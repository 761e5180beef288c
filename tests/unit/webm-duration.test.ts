import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { withWebmDuration } from '@/lib/phone/webm-duration';

beforeEach(() => {
  fakeBrowser.reset();
});

const EBML_HEADER = [0x1a, 0x45, 0xdf, 0xa3, 0x84, 0x42, 0x86, 0x81, 0x01];
const UNKNOWN_SIZE = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const SEGMENT_ID = [0x18, 0x53, 0x80, 0x67];
/** Info with TimecodeScale 1,000,000 (1 ms ticks) and no Duration, as MediaRecorder writes it. */
const INFO = [0x15, 0x49, 0xa9, 0x66, 0x87, 0x2a, 0xd7, 0xb1, 0x83, 0x0f, 0x42, 0x40];
const TRACKS = [0x16, 0x54, 0xae, 0x6b, 0x82, 0xae, 0x80];
const CLUSTER = [0x1f, 0x43, 0xb6, 0x75, 0x83, 0xe7, 0x81, 0x00];

/** A WebM as MediaRecorder streams it: EBML header, Segment of unknown size, Info, Tracks, a Cluster. */
function liveWebm(info: number[] = INFO, segmentSize: number[] = UNKNOWN_SIZE): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([...EBML_HEADER, ...SEGMENT_ID, ...segmentSize, ...info, ...TRACKS, ...CLUSTER]);
}

/** The Duration of the Info, in ticks, read the way a player does: walk to Info, then its children. */
function readDuration(bytes: Uint8Array): number | undefined {
  const infoAt = indexOf(bytes, [0x15, 0x49, 0xa9, 0x66]);
  const { value: infoSize, length } = vint(bytes, infoAt + 4);
  const end = infoAt + 4 + length + infoSize;
  let at = infoAt + 4 + length;
  while (at < end) {
    const id = bytes[at] === 0x44 || bytes[at] === 0x2a ? (bytes[at] === 0x2a ? 3 : 2) : 1;
    const size = vint(bytes, at + id);
    const content = at + id + size.length;
    if (bytes[at] === 0x44 && bytes[at + 1] === 0x89) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + content, size.value);
      return size.value === 8 ? view.getFloat64(0) : view.getFloat32(0);
    }
    at = content + size.value;
  }
  return undefined;
}

function vint(bytes: Uint8Array, at: number): { value: number; length: number } {
  const length = Math.clz32(bytes[at]!) - 23;
  let value = bytes[at]! & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + bytes[at + i]!;
  return { value, length };
}

function indexOf(bytes: Uint8Array, needle: number[]): number {
  for (let i = 0; i + needle.length <= bytes.length; i++) {
    if (needle.every((byte, j) => bytes[i + j] === byte)) return i;
  }
  return -1;
}

describe('withWebmDuration', () => {
  it('writes the Duration into the Info of a live WebM and leaves the clusters as they were', () => {
    const patched = withWebmDuration(liveWebm(), 3_375);
    expect(readDuration(liveWebm())).toBeUndefined();
    expect(readDuration(patched)).toBe(3_375);
    // The Info's size now counts the Duration (11 bytes) and is written on 8 bytes.
    expect(patched.length).toBe(liveWebm().length + 11 + 7);
    expect([...patched.subarray(patched.length - TRACKS.length - CLUSTER.length)]).toEqual([...TRACKS, ...CLUSTER]);
  });

  it('counts the Duration in the file’s own ticks (TimecodeScale)', () => {
    // TimecodeScale 1,000 ns: a millisecond is 1,000 ticks.
    const info = [0x15, 0x49, 0xa9, 0x66, 0x86, 0x2a, 0xd7, 0xb1, 0x82, 0x03, 0xe8];
    expect(readDuration(withWebmDuration(liveWebm(info), 1_500))).toBe(1_500_000);
  });

  it('grows a Segment of known size by what was inserted', () => {
    const content = INFO.length + TRACKS.length + CLUSTER.length;
    const patched = withWebmDuration(liveWebm(INFO, [0x40, content]), 2_000);
    expect(readDuration(patched)).toBe(2_000);
    expect(vint(patched, EBML_HEADER.length + 4).value).toBe(content + 18);
  });

  it('overwrites a Duration that is already there', () => {
    const info = [0x15, 0x49, 0xa9, 0x66, 0x8b, 0x44, 0x89, 0x88, 0, 0, 0, 0, 0, 0, 0, 0];
    const patched = withWebmDuration(liveWebm(info), 4_250);
    expect(patched.length).toBe(liveWebm(info).length);
    expect(readDuration(patched)).toBe(4_250);
  });

  it.each([
    ['an Ogg file', Uint8Array.from([0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0])],
    ['an empty file', new Uint8Array(0)],
    ['a truncated header', liveWebm().slice(0, 20)],
  ])('leaves %s as it is', (_what, bytes) => {
    expect(withWebmDuration(bytes, 1_000)).toBe(bytes);
  });
});
