/** Device profiles: what the harness assumes about each firmware family, as data. */
export type { DeviceProfile, ProfileOverrides } from './device-profile.js';
export { PROFILES, PROFILE_NAMES, genericProfile, BUILTIN_FEATURES, profileNamed } from './profiles.js';
export { selectProfile, lanHostAddress, type SelectedProfile, type ReadinessPlan } from './select-profile.js';
