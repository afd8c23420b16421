import type { UserlandInfo } from './firmware-image.js';

/**
 * Which C library a root was built against, from the file names in its
 * library directories (nothing is run or read). The dynamic linker's name
 * is the C library's own choice, so it rarely lies: ld-uClibc.so.0,
 * ld-musl-<arch>.so.1, glibc's ld-linux*.so.N (ld.so.1 on MIPS and PowerPC).
 * Versions only where the name carries one (uClibc always; glibc before 2.34).
 */
type Libc = UserlandInfo['libc'];

const RULES: [RegExp, Libc['name']][] = [
  [/^libuClibc-(\d+(?:\.\d+)+)\.so$/, 'uClibc'],
  [/^ld-uClibc-(\d+(?:\.\d+)+)\.so$/, 'uClibc'],
  [/^ld-uClibc\.so\.\d+$/, 'uClibc'],
  [/^ld-musl-[\w-]+\.so\.1$/, 'musl'],
  [/^libc\.musl-[\w-]+\.so\.1$/, 'musl'],
  [/^libc-(2\.\d+)\.so$/, 'glibc'],
  [/^ld-linux[\w.-]*\.so\.\d+$/, 'glibc'],
  [/^libc\.so\.6$/, 'glibc'],
  [/^ld\.so\.1$/, 'glibc'],
];

/** `paths`: absolute in-root paths such as '/lib/ld-uClibc-0.9.33.2.so'. */
export function identifyLibc(paths: readonly string[]): Libc {
  const sorted = [...paths].sort();
  for (const [re, name] of RULES) {
    for (const path of sorted) {
      const m = re.exec(path.slice(path.lastIndexOf('/') + 1));
      if (!m) continue;
      const libc: Libc = { name, source: path };
      if (m[1] !== undefined) libc.version = m[1];
      return libc;
    }
  }
  return { name: 'unknown', source: '' };
}
