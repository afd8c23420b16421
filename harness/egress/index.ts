/** firmlab egress: the sinkhole for everything the guest sends that is not DNS, and its records. */
export type { EgressRecord } from './egress-record.js';
export { Sinkhole, type SinkholeOptions, type SinkholeEvents } from './sinkhole.js';
export { parseClientHello, type ClientHelloResult } from './client-hello.js';
export { sniffFirstBytes, type Sniffed } from './first-bytes-sniffer.js';
export { guestIpv6Packets, ipv6EgressRecords, CaptureFormatError, type GuestIpv6Packet } from './wan-capture.js';
