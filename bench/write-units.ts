/**
 * DynamoDB capacity units by AWS's published rules, computed from request
 * payloads (DynamoDB Local's ConsumedCapacity under-reports transactions and
 * leaves out index writes). Pure functions: no SDK, no I/O.
 *
 * Rules used (DynamoDB developer guide, "Capacity unit consumption"):
 * - item size = Σ over attributes of (UTF-8 length of the name + size of the value);
 *   strings and binaries by length, numbers ≈ 1 byte per two significant digits + 1,
 *   booleans and nulls 1 byte, maps and lists 3 bytes + their elements + 1 byte per element;
 * - a write costs ceil(size / 1 KB) units (at least 1), twice that inside TransactWriteItems;
 *   an update is charged on the larger of the item before and after (callers pass that size);
 *   a failed conditional write is still charged;
 * - each global secondary index that holds the item costs one more write of the projected
 *   size: the whole item (ALL) or its keys only (KEYS_ONLY, 1 unit); an update only writes a
 *   KEYS_ONLY index when it touches one of that index's key attributes;
 * - a read costs ceil(size / 4 KB) units (at least 1) when strongly consistent, half that when
 *   eventually consistent, twice that inside TransactGetItems; a Query is charged on the sum of
 *   the sizes it returns, rounded up once.
 */

export type AttributeValue = {
  S?: string;
  N?: string;
  B?: Uint8Array | string;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  SS?: string[];
  NS?: string[];
  BS?: (Uint8Array | string)[];
};
export type Item = Record<string, AttributeValue>;

export interface IndexShape {
  hashKey: string;
  rangeKey: string;
  projection: 'ALL' | 'KEYS_ONLY';
}
export interface TableShape {
  hashKey: string;
  rangeKey: string;
  indexes: IndexShape[];
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
const binary = (value: Uint8Array | string) => (typeof value === 'string' ? Buffer.from(value, 'base64').length : value.length);

/** DynamoDB's size of a number: about one byte per two significant digits, plus one. */
function numberSize(text: string): number {
  const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

export function attributeSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return binary(value.B);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [name, v]) => sum + utf8(name) + attributeSize(v) + 1, 0);
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + attributeSize(v) + 1, 0);
  if (value.SS) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS) return value.BS.reduce((sum, b) => sum + binary(b), 0);
  return 0;
}

export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + attributeSize(value), 0);
}

export interface WriteAction {
  kind: 'put' | 'update' | 'delete' | 'check';
  /** Bytes charged: the item written (put), the larger of before/after (update), the item removed (delete). */
  size: number;
  /** Attribute names present on the item (after a put or update, before a delete): decides index membership. */
  attributes: string[];
  /** Attribute names an update sets, adds or removes. */
  touched?: string[];
  transactional: boolean;
}

export interface Units {
  table: number;
  indexes: number;
}

const writeUnitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

export function writeUnits(action: WriteAction, table: TableShape): Units {
  const base = writeUnitsOf(action.size) * (action.transactional ? 2 : 1);
  if (action.kind === 'check') return { table: base, indexes: 0 };
  const present = new Set(action.attributes);
  let indexes = 0;
  for (const index of table.indexes) {
    if (!present.has(index.hashKey) || !present.has(index.rangeKey)) continue;
    if (index.projection === 'ALL') indexes += writeUnitsOf(action.size);
    else if (action.kind !== 'update' || action.touched?.some((name) => name === index.hashKey || name === index.rangeKey)) indexes += 1;
  }
  return { table: base, indexes };
}

export interface ReadAction {
  /** Sizes of the items read; a key that found nothing is a size of 0 and still costs the minimum. */
  sizes: number[];
  consistent: boolean;
  transactional: boolean;
  /** Query/Scan: one charge for the sum of the sizes, not one per item. */
  summed: boolean;
}

export function readUnits(action: ReadAction): number {
  const factor = (action.consistent ? 1 : 0.5) * (action.transactional ? 2 : 1);
  const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 4096));
  if (action.summed) return units(action.sizes.reduce((a, b) => a + b, 0)) * factor;
  return action.sizes.reduce((sum, size) => sum + units(size), 0) * factor;
}

/** Attribute names an UpdateExpression names: `#alias` resolved through ExpressionAttributeNames, and bare names. */
export function touchedAttributes(expression: string, names: Record<string, string> = {}): string[] {
  const withoutValues = expression.replace(/:[A-Za-z0-9_]+/g, ' ');
  const tokens = withoutValues.match(/#?[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  const keyword = (t: string) => /^(set|add|remove|delete)$/i.test(t) || t === 'if_not_exists' || t === 'list_append';
  return [...new Set(tokens.filter((t) => !keyword(t)).map((t) => (t.startsWith('#') ? (names[t] ?? t) : t)))];
}

/** A plain JavaScript value as DynamoDB stores it (what the document client's marshalling does), for sizing. */
export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value instanceof Uint8Array) return { B: value };
  if (value instanceof Set) {
    const members = [...value];
    return typeof members[0] === 'number' ? { NS: members.map(String) } : { SS: members.map(String) };
  }
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  return { M: toItem(value as Record<string, unknown>) };
}

export function toItem(value: Record<string, unknown>): Item {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toAttributeValue(v)]));
}
