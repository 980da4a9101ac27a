/** Which Keras wrote a file: version strings (bounded, linear-time parsing) and Keras-3-only forms. */
import { getLoadLimits, raiseHint } from '../limits';
import { fail } from './util';
import { isObject } from './json';

/** True for the characters a version token may hold after its first digit: letters, digits, '_', '-', '+', '.'. */
function isVersionChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 43 || c === 46;
}

/**
 * '3.3.3' from '3.3.3', 'keras v3.3.3' or '2.2.4-tf'; null for anything else. A single left-to-right
 * scan (no backtracking regular expression: a long hostile string costs linear time).
 */
export function parseVersion(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > getLoadLimits().maxVersionLength) return null;
  let s = v.trim();
  if (s.slice(0, 5).toLowerCase() === 'keras') {
    s = s.slice(5).trimStart();
    if (s[0] === 'v' || s[0] === 'V') s = s.slice(1).trimStart();
  }
  if (s.length === 0 || !(s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57)) return null;
  for (let i = 1; i < s.length; i++) if (!isVersionChar(s.charCodeAt(i))) return null;
  return s;
}

/** Refuses a version field longer than the maxVersionLength limit (it is scanned and quoted in warnings). */
export function checkVersionLength(field: string, v: unknown): void {
  const max = getLoadLimits().maxVersionLength;
  if (typeof v === 'string' && v.length > max) {
    fail(field, `a version string of ${v.length} characters is longer than ${max} ${raiseHint('maxVersionLength')}.`);
  }
}

/**
 * tfjs writes keras_version 'tfjs-layers 4.22.0' and recurrent 'recurrent 0.1.0': tfjs-form files, whose
 * 'hard_sigmoid' is tfjs's / Keras 2's.
 */
export function isTfjsVersion(v: unknown): boolean {
  return typeof v === 'string' && /^\s*(tfjs|recurrent)\b/i.test(v);
}

/** True when the (cleaned or raw) topology holds a form only Keras 3 writes. */
export function hasKeras3Forms(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (Array.isArray(value)) return value.some((v) => hasKeras3Forms(v, depth + 1));
  if (!isObject(value)) return false;
  if (value.class_name === 'DTypePolicy' || value.class_name === 'FloatDTypePolicy') return true;
  if (value.class_name === 'InputLayer' && isObject(value.config) && value.config.batch_shape !== undefined) return true;
  return Object.keys(value).some((k) => hasKeras3Forms(value[k], depth + 1));
}
