import type { DeviceProfile } from '../device-profile.js';

/**
 * Any Linux root no other profile claims: it still boots, with the most
 * common router defaults; reports say the generic profile was used.
 */
export const genericProfile: DeviceProfile = {
  name: 'generic',
  description: 'no family recognised: common router defaults (WAN eth0, LAN 192.168.0.1, ready on its web UI or first packet)',
  recognise: { files: [] },
  memoryMb: 128,
  limits: { pids: 128, cpus: 1.5 },
  nics: ['wan', 'lan'],
  lan: {
    from: [{ path: '/etc/config/network', pattern: "config interface 'lan'[^]*?option ipaddr '?([0-9.]+)" }],
    default: '192.168.0.1',
    prefix: 24,
  },
  webPorts: [80],
  readiness: [
    { when: ['/usr/sbin/httpd'], http: '/' },
    { when: ['/usr/sbin/uhttpd'], http: '/' },
    { when: ['/usr/sbin/lighttpd'], http: '/' },
    { when: ['/usr/bin/httpd'], http: '/' },
  ],
  console: { prompt: '[#$] $', probe: 'nslookup {name} {resolver}' },
  flash: { kind: 'none' },
  persistence: 'nowhere: no flash is emulated, settings live in RAM until the next boot',
  features: [],
};
