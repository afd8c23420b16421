import type { FirmwareImage } from './firmware-image.js';

/** The human view of `firmlab inspect`: one `key  value` row per fact. */
export function formatFirmwareImage(image: FirmwareImage): string {
  const rows: [string, string][] = [
    ['file', image.path],
    ['sha256', image.sha256],
    ['size', `${image.size} bytes`],
    ['format', image.format],
  ];
  const h = image.header;
  if (h) {
    rows.push(
      ['vendor', h.vendor],
      ['hw id / rev', `${h.hwId} / ${h.hwRev}`],
      ['version', `${h.versionString} (${h.verHi}.${h.verMid}.${h.verLo})`],
      ['fw length', String(h.fwLength)],
      ['kernel la / ep', `${h.kernelLoadAddress} / ${h.kernelEntryPoint}`],
    );
    if (h.regionStrings.length > 0) rows.push(['region', h.regionStrings.join(', ')]);
  }
  const c = image.checksum;
  rows.push(['checksum', c.status === 'bad' ? `BAD (${c.algorithm}: expected ${c.expected}, computed ${c.actual})` : c.status]);
  for (const p of image.parts) {
    const name = typeof p.details?.name === 'string' && p.details.name !== '' ? ` "${p.details.name}"` : '';
    rows.push([`part ${p.kind}`, `${p.type}${name} at ${p.offset}, ${p.length} bytes`]);
  }
  const fs = image.filesystem;
  if (fs) {
    const size = fs.unpackedBytes === undefined ? '' : `, ${fs.unpackedBytes} bytes in ${fs.entries} entries`;
    rows.push(['filesystem', `${fs.type} (${fs.compression})${size}`]);
    for (const l of fs.outsideLinks ?? []) rows.push(['outside link', `${l.path} -> ${l.target}`]);
  }
  const cpu = image.cpu;
  rows.push(['cpu', cpu ? `${cpu.archKey}: ${cpu.arch} ${cpu.bits}-bit ${cpu.endian}-endian${cpu.abi ? `, ${cpu.abi}` : ''} (from ${cpu.source})` : 'unknown']);
  rows.push(['kernel', image.kernelVersion ?? 'unknown']);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}
