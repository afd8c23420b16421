import type { ChecksumVerdict, FirmwareHeader, FirmwareImage } from './firmware-image.js';

type Rows = [string, string][];

/** The human view of `firmlab inspect`: one `key  value` row per fact. */
export function formatFirmwareImage(image: FirmwareImage): string {
  const rows: Rows = [
    ['file', image.path],
    ['sha256', image.sha256],
    ['size', `${image.size} bytes`],
    ['format', image.format],
  ];
  if (image.header) headerRows(image.header, rows);
  rows.push(['checksum', checksumText(image.checksum)]);
  for (const p of image.parts) {
    const name = typeof p.details?.name === 'string' && p.details.name !== '' ? ` "${p.details.name}"` : '';
    rows.push([`part ${p.kind}`, `${p.type}${name} at ${p.offset} (0x${p.offset.toString(16)}), ${p.length} bytes`]);
    const source = p.details?.offsetSource;
    if (typeof source === 'string' && source !== 'header') rows.push([`${p.kind} offset`, `${source}: ${String(p.details?.note ?? '')}`]);
  }
  for (const n of image.notes ?? []) rows.push(['note', n]);
  const fs = image.filesystem;
  if (fs) {
    const size = fs.unpackedBytes === undefined ? '' : `, ${fs.unpackedBytes} bytes in ${fs.entries} entries`;
    rows.push(['filesystem', `${fs.type} (${fs.compression})${size}`]);
    for (const l of fs.outsideLinks ?? []) rows.push(['outside link', `${l.path} -> ${l.target}`]);
  }
  const cpu = image.cpu;
  rows.push(['cpu', cpu ? `${cpu.archKey}: ${cpu.arch} ${cpu.bits}-bit ${cpu.endian}-endian${cpu.abi ? `, ${cpu.abi}` : ''} (from ${cpu.source})` : 'unknown']);
  const u = image.userland;
  if (u) {
    rows.push(['libc', `${u.libc.name}${u.libc.version ? ` ${u.libc.version}` : ''}${u.libc.source ? ` (from ${u.libc.source})` : ''}`]);
    rows.push(['init', `${u.init.name}${u.init.source ? ` (from ${u.init.source})` : ''}`]);
  }
  rows.push(['kernel', image.kernelVersion ?? 'unknown']);
  for (const a of image.adjustments ?? []) rows.push(['adjustment', a]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}

function headerRows(h: FirmwareHeader, rows: Rows): void {
  if (h.vendor !== '') rows.push(['vendor', h.vendor]);
  if (h.headerVersion !== undefined) rows.push(['header version', String(h.headerVersion)]);
  const add = h.hwVerAdd === undefined ? '' : ` / add 0x${h.hwVerAdd.toString(16)}`;
  rows.push(['hw id / rev', `${h.hwId} / ${h.hwRev}${add}`]);
  if (h.flashLayout) rows.push(['flash layout', `${h.flashLayout}${h.soc ? ` (${h.soc})` : ''}`]);
  const sw = h.softwareVersion === undefined ? '' : `, software ${h.softwareVersion}`;
  rows.push(['version', `${h.versionString} (${h.verHi}.${h.verMid}.${h.verLo}${sw})`]);
  rows.push(['fw length', String(h.fwLength)], ['kernel la / ep', `${h.kernelLoadAddress} / ${h.kernelEntryPoint}`]);
  if (h.regionStrings.length > 0) rows.push(['region', h.regionStrings.join(', ')]);
}

function checksumText(c: ChecksumVerdict): string {
  if (c.status === 'bad') return `BAD (${c.algorithm}: expected ${c.expected}, computed ${c.actual})`;
  return c.note === undefined ? c.status : `${c.status} (${c.note})`;
}
