import type { DeviceProfile } from './device-profile.js';
import { fixtureProfile } from './families/fixture-profile.js';
import { genericProfile } from './families/generic-profile.js';
import { openwrtProfile } from './families/openwrt-profile.js';

/** Every family firmlab knows, in the order they are tried; the generic profile catches the rest. */
export const PROFILES: readonly DeviceProfile[] = [fixtureProfile, openwrtProfile];

export { genericProfile };

/** Every feature a profile ships, by the name scenarios switch it with. */
export const BUILTIN_FEATURES = [...PROFILES, genericProfile].flatMap((p) => p.features);
