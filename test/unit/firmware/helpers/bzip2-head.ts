/** The first bytes every bzip2 stream starts with: 'BZh', block size '9', the block magic (pi in BCD). */
export function bzip2HeadForTest(): Buffer {
  return Buffer.concat([Buffer.from('BZh9', 'latin1'), Buffer.from('314159265359', 'hex'), Buffer.alloc(32, 0x42)]);
}
