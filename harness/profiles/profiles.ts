import type { DeviceProfile } from './device-profile.js';
import { fixtureProfile } from './families/fixture-profile.js';
import { genericProfile } from './families/generic-profile.js';
import { openwrtProfile } from './families/openwrt-profile.js';

/** Every family firmlab knows, in the order they are tried; the generic profile catches the rest. */
export const PROFILES: readonly DeviceProfile[] = [fixtureProfile, openwrtProfile];

export { genericProfile };

/** Every profile a scenario's `lab.profile` or `--profile` may name: the families, then the generic one. */
export const PROFILE_NAMES = [...PROFILES, genericProfile].map((p) => p.name);

/** The profile of that name among `profiles` and the generic one, or undefined. */
export function profileNamed(name: string, profiles: readonly DeviceProfile[] = PROFILES): DeviceProfile | undefined {
  return [...profiles, genericProfile].find((p) => p.name === name);
}

/** Every feature a profile ships, by the name scenarios switch it with. */
export const BUILTIN_FEATURES = [...PROFILES, genericProfile].flatMap((p) => p.features);
