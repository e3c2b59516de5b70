/**
 * Imported first by the CLI: libraries read NODE_ENV when they load, and graphql-js's development
 * build checks every instanceof across realms (measured: about 5% of a served request's CPU).
 * An explicit NODE_ENV (e.g. development) is kept.
 */
process.env.NODE_ENV ??= 'production';
