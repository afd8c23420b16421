import { ControlTooLargeError } from './control-errors.js';

/**
 * The most a web UI answer may hold. LuCI's biggest page here is about 60 KB;
 * a router that sends more is broken or hostile, and its answer is not kept.
 */
export const MAX_BODY_BYTES = 4 * 2 ** 20;

/**
 * A response body as text (UTF-8, as `Response.text()`), read at most
 * `maxBytes` far: a declared or actual length past it cancels the stream and
 * throws ControlTooLargeError. The request's own abort signal bounds the time
 * (a body that never ends rejects when it fires); undici bounds the headers.
 */
export async function boundedText(res: Response, url: string, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new ControlTooLargeError(url, maxBytes, `declares ${declared} bytes`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ControlTooLargeError(url, maxBytes, 'sent more');
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
