/** The defaults an options schema (JSON Schema) gives its properties: `{ gamma: 2 }`; none for a schema without properties. */
export function schemaDefaults(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: unknown } | null)?.properties;
  if (!properties || typeof properties !== 'object') return {};
  // A property's schema may be `true` (JSON Schema allows booleans): it has no default.
  const defaults = Object.entries(properties as Record<string, unknown>).flatMap(([key, p]): [string, unknown][] =>
    p && typeof p === 'object' && (p as { default?: unknown }).default !== undefined ? [[key, (p as { default: unknown }).default]] : [],
  );
  return Object.fromEntries(defaults);
}
