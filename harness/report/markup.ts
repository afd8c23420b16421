/**
 * Text for the markup the reporters write (JUnit XML, report.html and its
 * SVG): escaped, and XML 1.0's forbidden characters (C0 controls but tab, LF,
 * CR; lone surrogates) replaced by U+FFFD: names a firmware sent end up here.
 */
export function esc(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
