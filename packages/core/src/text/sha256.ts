import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * SHA-256 and HMAC-SHA-256 of strings (their UTF-8 bytes), as lowercase hex. From `@noble/hashes`:
 * audited, pure JavaScript with no dependency, so core keys caches, digests prompts and chains its
 * audit the same way in Forge, the browser and Node, without a platform crypto module.
 */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** HMAC-SHA-256 of `text` under `key` (both as UTF-8), as lowercase hex. */
export function hmacSha256Hex(key: string, text: string): string {
  return bytesToHex(hmac(sha256, utf8ToBytes(key), utf8ToBytes(text)));
}
