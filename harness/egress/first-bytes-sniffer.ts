import { parseClientHello } from './client-hello.js';

/** What the first bytes of a connection say about it, and whether reading more could tell us more. */
export interface Sniffed {
  sni?: string;
  httpHost?: string;
  /** True once the opening message (ClientHello, HTTP request head) is complete. */
  complete: boolean;
}

const HTTP_REQUEST = /^[A-Z]{3,10} \S+ HTTP\/1\.[01]\r?\n/;

export function sniffFirstBytes(bytes: Buffer): Sniffed {
  const tls = parseClientHello(bytes);
  if (tls.kind === 'client-hello') return { ...(tls.sni === undefined ? {} : { sni: tls.sni }), complete: true };
  if (tls.kind === 'incomplete') return { complete: false };
  if (tls.kind === 'invalid') return { complete: true };
  const text = bytes.toString('latin1');
  if (!HTTP_REQUEST.test(text)) return { complete: false };
  const headEnd = text.search(/\r?\n\r?\n/);
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const host = /\r?\nhost:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim();
  return { ...(host ? { httpHost: host } : {}), complete: headEnd >= 0 };
}
