/**
 * Partner keys are served the partner schema, where other operations do not exist. Asking for one
 * is answered as a refusal (FORBIDDEN naming the field), as role checks answer elsewhere, and the
 * same for a field that exists nowhere: the answer tells nothing about the internal schema.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';

const MISSING_ROOT_FIELD = /^Cannot query field "([^"]+)" on type "(Query|Mutation|Subscription)"/;

export function partnerRefusals(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const field = response.body.singleResult.errors?.map((e) => MISSING_ROOT_FIELD.exec(e.message)?.[1]).find((f) => f !== undefined);
          if (field === undefined) return;
          response.body.singleResult = {
            data: null,
            errors: [{ message: `The partner role may not use "${field}"; partner keys see the partner operations only.`, extensions: { code: 'FORBIDDEN' } }],
          };
          response.http.status = 403;
        },
      };
    },
  };
}
