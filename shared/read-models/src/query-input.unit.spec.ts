import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import { z } from 'zod';
import { inputParser, parseInput } from './query-input';

const Range = z.object({ from: z.iso.date(), limit: z.number().int().default(50) }).strict();

/** What parsing threw. */
const refusal = (parse: () => unknown) => rejection((async () => parse())());

describe('parseInput', () => {
  it('returns the parsed input, defaults applied', () => {
    expect(parseInput(Range, { from: '2026-04-01' })).toEqual({ from: '2026-04-01', limit: 50 });
  });

  it('names the offending field, an unknown one included, in a VALIDATION_FAILED', async () => {
    expect(await refusal(() => parseInput(Range, { from: 'April' }))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'from' });
    const unknown = await refusal(() => parseInput(Range, { from: '2026-04-01', sort: 'asc' }));
    expect(unknown).toBeInstanceOf(ArrearsError);
    expect(unknown).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'sort', message: 'sort is not a parameter here' });
    expect(await refusal(() => inputParser('filter')(Range, { from: '2026-04-01', sort: 'asc' }))).toMatchObject({ field: 'sort', message: 'sort is not a filter here' });
  });

  it('names an input that is one value by the field it is given for', async () => {
    expect(await refusal(() => parseInput(z.uuid(), 'not-an-id', 'planId'))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'planId', message: expect.stringMatching(/^planId: /) });
    expect(await refusal(() => parseInput(z.uuid(), 'not-an-id'))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, message: expect.stringMatching(/^input: /) });
  });
});
