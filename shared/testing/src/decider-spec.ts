import { ArrearsError, type ErrorCode } from '@arrears/contracts';

export interface DeciderUnderTest<State, Event, Command, Body, Options> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly decide: (command: Command, state: State) => readonly Event[];
  /** Makes the command envelope from a test's body (and options such as the role or `now`). */
  readonly command: (body: Body, options?: Options) => Command;
  /** Checks an event against its published schema (e.g. `catalog.encode`); throws when it does not fit. */
  readonly check?: (event: Event) => unknown;
}

export interface WhenCommand<Event> {
  /** The events decided, each checked against its published schema. */
  events(): Event[];
  then(expected: readonly Event[]): void;
  /** The command is refused with an ArrearsError of this code naming this field. */
  thenRefuses(code: ErrorCode, field: string): void;
}

/**
 * Given / when / then specifications of a decider (STYLE.md): `given(...history).when(command).then(events)`.
 * Jest's `expect` is taken from the global scope, as in every spec file.
 */
export function deciderSpec<State, Event, Command, Body, Options = never>(
  decider: DeciderUnderTest<State, Event, Command, Body, Options>,
): (...history: readonly Event[]) => { when(body: Body, options?: Options): WhenCommand<Event> } {
  return (...history) => {
    const state = history.reduce(decider.evolve, decider.initialState());
    return {
      when(body, options) {
        const run = () => [...decider.decide(decider.command(body, options), state)];
        const events = () => {
          const decided = run();
          for (const event of decided) decider.check?.(event);
          return decided;
        };
        return {
          events,
          then(expected) {
            expect(events()).toEqual(expected);
          },
          thenRefuses(code, field) {
            let error: unknown;
            try {
              run();
            } catch (thrown) {
              error = thrown;
            }
            expect(error).toBeInstanceOf(ArrearsError);
            expect(error).toMatchObject({ code, field });
          },
        };
      },
    };
  };
}
