import { readFileSync } from 'node:fs';
import { ArrearsError, ErrorCode, validationFailed } from '@arrears/contracts';
import type { z } from 'zod';

/** `json` checked against `schema`; a mismatch is VALIDATION_FAILED naming the field under `prefix` (`policy.graceDays`). */
export function parsePolicy<Schema extends z.ZodType>(json: unknown, schema: Schema, prefix = 'policy'): z.output<Schema> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationFailed(parsed.error, prefix);
  return parsed.data;
}

/**
 * The JSON file the environment variable `variable` names, checked against `schema` (a service's policy file:
 * README, "Configuration"); undefined when the variable is unset or empty, so the service keeps its defaults.
 * A file that cannot be read or is not JSON is VALIDATION_FAILED on the variable itself; content that does not fit
 * the schema is VALIDATION_FAILED on the offending field (`policy.<path>`), the message naming variable and file, so
 * a service that refuses to start says what to fix where.
 */
export function readPolicyFile<Schema extends z.ZodType>(variable: string, schema: Schema, env: NodeJS.ProcessEnv = process.env, prefix = 'policy'): z.output<Schema> | undefined {
  const file = env[variable];
  if (file === undefined || file === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${variable}: cannot read ${file} as JSON (${error instanceof Error ? error.message : String(error)})`, { field: variable });
  }
  try {
    return parsePolicy(json, schema, prefix);
  } catch (error) {
    if (!(error instanceof ArrearsError)) throw error;
    throw new ArrearsError(error.code, `${variable} (${file}): ${error.message}`, {
      ...(error.field === undefined ? {} : { field: error.field }),
      ...(error.details === undefined ? {} : { details: error.details }),
    });
  }
}
