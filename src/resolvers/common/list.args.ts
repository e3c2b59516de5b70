/**
 * The page arguments every list field takes, as args classes so class-validator checks them before
 * a resolver runs (a bare `@Arg('first', () => Int)` is not validated, and a `first` of 0 or below
 * reached Neo4j as an internal error). Upper bounds are GRAPHQL_MAX_PAGE_SIZE, configuration, which
 * the services apply.
 */
import { ArgsType, ClassType, Field, Int } from 'type-graphql';
import { AtLeast } from './validators';

/** `first` and `after` of a Relay connection; `first: 0` is a valid (empty) page there. */
@ArgsType()
export class ConnectionArgs {
  @AtLeast(0)
  @Field(() => Int, { nullable: true })
  first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

const firstArgsByDefault = new Map<number, ClassType<{ first: number }>>();

/**
 * `first` of a plain list field with its default; at least 1, since an empty answer is never what
 * was meant. One class per default; call it at module load (type-graphql reads args classes when
 * the schema is built, not when a thunk first runs).
 */
export function FirstArgs(defaultFirst: number): ClassType<{ first: number }> {
  let args = firstArgsByDefault.get(defaultFirst);
  if (!args) {
    @ArgsType()
    class First {
      @AtLeast(1)
      @Field(() => Int, { defaultValue: defaultFirst })
      first!: number;
    }
    firstArgsByDefault.set(defaultFirst, (args = First));
  }
  return args;
}
