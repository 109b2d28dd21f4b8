/** Types of completion-schema.mjs, for the tests that import it. */
export function completionSchema(schema: unknown): unknown;
export function writeCompletionSchema(source: string, target: string): void;
