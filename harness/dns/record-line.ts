import type { DnsQueryRecord, DnsRecord, DnsResponseRecord } from './dns-query-record.js';

/**
 * One dns.jsonl line (with its newline), byte for byte what `JSON.stringify(record)`
 * gives, built by concatenation: at tens of thousands of queries a second the
 * generic stringifier was the largest share of the recorder's own CPU. Response
 * parts are shared by every query answered by the same plan, so their text is
 * cached per response object.
 */
export function recordLine(record: DnsRecord): string {
  if (record.kind !== 'dns-query') return JSON.stringify(record) + '\n';
  const r: DnsQueryRecord = record;
  return (
    '{"kind":"dns-query","atMs":' + num(r.atMs) +
    ',"transport":"' + r.transport +
    '","client":{"address":' + str(r.client.address) + ',"port":' + num(r.client.port) + '}' +
    (r.resolver === undefined ? '' : ',"resolver":{"address":' + str(r.resolver.address) + ',"port":' + num(r.resolver.port) + '}') +
    ',"id":' + num(r.id) +
    ',"flags":' + num(r.flags) +
    ',"name":' + str(r.name) +
    ',"nameAsSent":' + str(r.nameAsSent) +
    ',"type":' + str(r.type) +
    ',"class":' + str(r.class) +
    (r.ednsUdpSize === undefined ? '' : ',"ednsUdpSize":' + num(r.ednsUdpSize)) +
    (r.rule === undefined ? '' : ',"rule":' + str(r.rule)) +
    ',"response":' + responseText(r.response) +
    ',"answerMs":' + num(r.answerMs) +
    '}\n'
  );
}

const responseTexts = new WeakMap<DnsResponseRecord, string>();

function responseText(response: DnsResponseRecord | null): string {
  if (response === null) return 'null';
  let text = responseTexts.get(response);
  if (text === undefined) {
    text = JSON.stringify(response);
    // Only frozen responses are shared between records; a mutable one may change after this call.
    if (Object.isFrozen(response)) responseTexts.set(response, text);
  }
  return text;
}

/** Strings with nothing JSON must escape (the usual case for names and addresses) are quoted as is. */
function str(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}

function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}
