import { expect } from 'chai';
import { parseUImageHeader } from '../../../harness/firmware/formats/uimage-header.js';
import { kernelVersionFromBytes, kernelVersionFromName } from '../../../harness/firmware/kernel-version.js';
import { buildUImage } from './helpers/firmware-bytes.js';

describe('uImage header', () => {
  it('reads name, arch, compression and checks both CRCs', () => {
    const u = parseUImageHeader(buildUImage('ARM Linux-6.1.0-13-armmp-lpae', Buffer.from('payload'), { comp: 1 }))!;
    expect(u).to.include({ name: 'ARM Linux-6.1.0-13-armmp-lpae', os: 'linux', arch: 'arm', imageType: 'kernel', compression: 'gzip', dataSize: 7 });
    expect(u).to.include({ headerCrcOk: true, dataCrcOk: true, loadAddress: '0x80008000' });
  });

  it('notices a damaged header or payload, and a payload cut short', () => {
    const b = buildUImage('x', Buffer.from('payload'));
    const hdr = Buffer.from(b);
    hdr[0x21] = 0x41;
    expect(parseUImageHeader(hdr)!.headerCrcOk).to.equal(false);
    const data = Buffer.from(b);
    data[64] ^= 1;
    expect(parseUImageHeader(data)!.dataCrcOk).to.equal(false);
    expect(parseUImageHeader(b.subarray(0, 66))!.dataCrcOk).to.equal(undefined);
    expect(parseUImageHeader(b.subarray(0, 63))).to.equal(undefined);
  });
});

describe('kernel version', () => {
  it('comes from a uImage name or a Linux banner', () => {
    expect(kernelVersionFromName('ARM Linux-6.1.0-13-armmp-lpae')).to.equal('6.1.0-13-armmp-lpae');
    expect(kernelVersionFromName('MIPS OpenWrt Linux-5.15.150')).to.equal('5.15.150');
    expect(kernelVersionFromName('u-boot')).to.equal(undefined);
    const raw = Buffer.concat([Buffer.alloc(50), Buffer.from('Linux version 4.19.0 (gcc) #1\0'), Buffer.alloc(10)]);
    expect(kernelVersionFromBytes(raw)).to.equal('4.19.0');
    expect(kernelVersionFromBytes(Buffer.from('Linux version x'))).to.equal(undefined);
  });
});
