import { ArrearsError, ErrorCode, validationFailed } from '@arrears/contracts';
import type { z } from 'zod';

/** Parses a query's input or throws VALIDATION_FAILED naming the field; `field` names an input that is one value. */
export type InputParser = <T>(schema: z.ZodType<T>, input: unknown, field?: string) => T;

/**
 * A parser whose error for an unknown field (named too) calls such fields `noun`s: `sort is not a filter here`. An
 * error about the input as a whole names `field` when one is given.
 */
export function inputParser(noun: string): InputParser {
  return (schema, input, field) => {
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    const [first] = result.error.issues;
    if (first !== undefined && first.code === 'unrecognized_keys') {
      const key = first.keys[0] ?? '';
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${key} is not a ${noun} here`, { field: key });
    }
    const error = validationFailed(result.error);
    if (error.field === undefined && field !== undefined) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field}: ${error.message.replace(/^input: /, '')}`, { field });
    }
    throw error;
  };
}

/** Parses a query's parameters or throws VALIDATION_FAILED naming the field (an unknown field is named too). */
export const parseInput: InputParser = inputParser('parameter');
