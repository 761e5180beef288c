/**
 * Binary data as base64, for messages between extension contexts: `runtime.sendMessage` carries
 * JSON only, so audio crosses as text (a third larger).
 */

/** Bytes per `btoa` call; a multiple of 3, so the pieces join without padding in between. */
const BASE64_CHUNK = 3 * 8_192;

/** Base64 of `bytes` (in chunks: spreading megabytes into one call would overflow the stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  let base64 = '';
  for (let start = 0; start < bytes.length; start += BASE64_CHUNK) {
    base64 += btoa(String.fromCharCode(...bytes.subarray(start, start + BASE64_CHUNK)));
  }
  return base64;
}

/** The bytes of a blob as base64. */
export async function blobToBase64(blob: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
}

/** The bytes of base64 text; throws (`atob`'s DOMException) on text that is not base64. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
