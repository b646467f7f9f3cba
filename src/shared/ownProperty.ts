// A record's own value for a key that came from a request or a file: never one inherited from
// the object prototype ('toString', 'constructor', '__proto__' read as names).

/** `record[key]` when the record itself holds the key, else undefined. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
