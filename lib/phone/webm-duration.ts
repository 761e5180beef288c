/**
 * MediaRecorder writes WebM as a live stream: the Segment has an "unknown" size and its Info has no
 * Duration, so players show no length and cannot seek (Chromium issue 642012). This writes the
 * Duration element into the Info of a finished recording. It edits only the header: the clusters
 * are copied as they are.
 *
 * EBML (RFC 8794): an element is an ID (1–4 bytes, length marker kept), a size (1–8 bytes, marker
 * removed; all ones means unknown) and the content. WebM IDs: Matroska's (RFC 9559).
 */

const EBML_HEADER = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const CLUSTER = 0x1f43b675;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;

/** Matroska's default TimecodeScale: one tick is a millisecond. */
const DEFAULT_TIMECODE_SCALE = 1_000_000;

interface Element {
  id: number;
  /** Offset of the element's first byte. */
  start: number;
  /** Offset of its content. */
  contentStart: number;
  /** Content bytes; `undefined` when the size is unknown. */
  size: number | undefined;
  /** Bytes of the size field. */
  sizeLength: number;
}

/**
 * `bytes` with the WebM Duration set to `durationMs`; the bytes unchanged when they are not WebM
 * as MediaRecorder writes it (other containers, e.g. Ogg, know their length already).
 */
export function withWebmDuration(bytes: Uint8Array<ArrayBuffer>, durationMs: number): Uint8Array<ArrayBuffer> {
  try {
    return patch(bytes, durationMs) ?? bytes;
  } catch {
    // Truncated or unexpected structure: the audio is still playable without a duration.
    return bytes;
  }
}

function patch(bytes: Uint8Array<ArrayBuffer>, durationMs: number): Uint8Array<ArrayBuffer> | undefined {
  const header = readElement(bytes, 0);
  if (header?.id !== EBML_HEADER || header.size === undefined) return undefined;
  const segment = readElement(bytes, header.contentStart + header.size);
  if (segment?.id !== SEGMENT) return undefined;
  const segmentEnd = segment.size === undefined ? bytes.length : segment.contentStart + segment.size;
  let offset = segment.contentStart;
  while (offset < segmentEnd) {
    const child = readElement(bytes, offset);
    if (!child || child.size === undefined || child.id === CLUSTER) return undefined;
    if (child.id === INFO) return patchInfo(bytes, segment, child, durationMs);
    offset = child.contentStart + child.size;
  }
  return undefined;
}

function patchInfo(
  bytes: Uint8Array<ArrayBuffer>,
  segment: Element,
  info: Element,
  durationMs: number,
): Uint8Array<ArrayBuffer> | undefined {
  const infoEnd = info.contentStart + info.size!;
  let scale = DEFAULT_TIMECODE_SCALE;
  let offset = info.contentStart;
  while (offset < infoEnd) {
    const child = readElement(bytes, offset);
    if (!child || child.size === undefined) return undefined;
    if (child.id === TIMECODE_SCALE) scale = readUnsigned(bytes, child.contentStart, child.size);
    if (child.id === DURATION) {
      // Already there (another muxer): overwrite it in place.
      const copy = bytes.slice();
      writeFloat(copy, child.contentStart, child.size, (durationMs * 1_000_000) / scale);
      return copy;
    }
    offset = child.contentStart + child.size;
  }
  const duration = new Uint8Array(11);
  duration.set([0x44, 0x89, 0x88]);
  writeFloat(duration, 3, 8, (durationMs * 1_000_000) / scale);
  const newInfoSize = info.size! + duration.length;
  // The Info's size is rewritten on 8 bytes, which holds any size; readers accept a longer form.
  const infoHeader = [...idBytes(INFO), ...sizeBytes(newInfoSize, 8)];
  const grownBy = infoHeader.length + newInfoSize - (infoEnd - info.start);
  const segmentHeader =
    segment.size === undefined
      ? bytes.slice(segment.start, segment.contentStart)
      : Uint8Array.from([...idBytes(SEGMENT), ...sizeBytes(segment.size + grownBy, segment.sizeLength)]);
  if (segmentHeader.length !== segment.contentStart - segment.start) return undefined;
  const out = new Uint8Array(bytes.length + grownBy);
  let at = 0;
  const put = (part: ArrayLike<number>): void => {
    out.set(part, at);
    at += part.length;
  };
  put(bytes.subarray(0, segment.start));
  put(segmentHeader);
  put(bytes.subarray(segment.contentStart, info.start));
  put(infoHeader);
  put(bytes.subarray(info.contentStart, infoEnd));
  put(duration);
  put(bytes.subarray(infoEnd));
  return out;
}

/** Reads the element header at `offset`; `undefined` past the end or on an invalid length marker. */
function readElement(bytes: Uint8Array, offset: number): Element | undefined {
  const id = readVint(bytes, offset, 4, true);
  if (!id) return undefined;
  const size = readVint(bytes, offset + id.length, 8, false);
  if (!size) return undefined;
  return {
    id: id.value,
    start: offset,
    contentStart: offset + id.length + size.length,
    size: size.unknown ? undefined : size.value,
    sizeLength: size.length,
  };
}

function readVint(
  bytes: Uint8Array,
  offset: number,
  maxLength: number,
  keepMarker: boolean,
): { value: number; length: number; unknown: boolean } | undefined {
  const first = bytes[offset];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (length > maxLength || offset + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = bytes[offset + i]!;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function readUnsigned(bytes: Uint8Array, offset: number, length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + bytes[offset + i]!;
  return value;
}

function writeFloat(bytes: Uint8Array, offset: number, length: number, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
  if (length === 4) view.setFloat32(0, value);
  else view.setFloat64(0, value);
}

function idBytes(id: number): number[] {
  const out: number[] = [];
  for (let rest = id; rest > 0; rest = Math.floor(rest / 256)) out.unshift(rest % 256);
  return out;
}

function sizeBytes(size: number, length: number): number[] {
  const out = new Array<number>(length).fill(0);
  let rest = size;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  if (rest > 0 || out[0]! >= 0x80 >> (length - 1)) throw new RangeError(`size ${size} does not fit ${length} bytes`);
  out[0] = out[0]! | (0x80 >> (length - 1));
  return out;
}
