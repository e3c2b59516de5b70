/**
 * class-validator rules the input types share. type-graphql runs them on every input object and
 * args class before a resolver is called (`validate: true` in src/graphql/schema.ts), and
 * src/graphql/format-error.ts turns their messages into one BAD_USER_INPUT error.
 */
import { IsNotEmpty, Max, MaxLength, Min, registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { MAX_ID_LENGTH } from '../../domain/records';

/** The decorated number, when given, is at least the `other` property's, when that is given too. */
export function NotLessThan(other: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'notLessThan',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      options: { message: `$property must not be less than ${other}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const bound = (args.object as Record<string, unknown>)[other];
          return typeof value !== 'number' || typeof bound !== 'number' || value >= bound;
        },
      },
    });
  };
}

/** An id a client sends for a user, product or category: not empty, at most MAX_ID_LENGTH characters. */
export function IsId(): PropertyDecorator {
  return (target, propertyName) => {
    IsNotEmpty()(target, propertyName);
    MaxLength(MAX_ID_LENGTH)(target, propertyName);
  };
}

/** "x must be an integer from 1 to 3" for both bounds, so the message says the whole rule. */
export function IntRange(min: number, max: number): PropertyDecorator {
  const message = `$property must be an integer from ${min} to ${max}; got $value`;
  return (target, property) => {
    Min(min, { message })(target, property);
    Max(max, { message })(target, property);
  };
}

/** A lower bound alone, for numbers whose upper bound comes from configuration and is checked by a service. */
export function AtLeast(min: number): PropertyDecorator {
  return Min(min, { message: `$property must be at least ${min}; got $value` });
}
