// The TLS ClientHello the fixture's tls-when-off homeshieldd sends
// (src/homeshieldd.c, build_client_hello), as captured from the ARM binary
// under qemu-user; test/integration/fixture-firmware/variant-daemons.test.ts
// checks that the daemon still sends these bytes, random field aside.
export const HOMESHIELDD_CLIENT_HELLO = Buffer.from(
  '1603010086' + // handshake record, TLS 1.0 on the record layer, 134 bytes
  '01000082' + '0303' + // ClientHello, 130 bytes; legacy_version TLS 1.2
  '6f5635ee22396a79528bf66847ca65048e74ca93bdd16e20a260dd2d08f02c77' + // random
  '00' + '000e130113021303c02bc02fc02cc030' + '0100' + // no session id; 7 suites; null compression
  '004b' + // extensions, 75 bytes
  '00000022002000001d6466702d6475616c2e736166657468696e67732e61766972612e636f6d' + // server_name
  '000a00060004001d0017' + // supported_groups: x25519, secp256r1
  '000d00080006040308040401' + // signature_algorithms
  '002b0005040304' + '0303' + // supported_versions: TLS 1.3, 1.2
  '003300020000', // key_share: no shares
  'hex');
/** The 32 random bytes, which differ on every connection. */
export const CLIENT_HELLO_RANDOM = { offset: 11, length: 32 } as const;
export const HOMESHIELDD_SNI = 'dfp-dual.safethings.avira.com';
