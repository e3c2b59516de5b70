// GraphQL over fetch with the analyst's key; the key lives in sessionStorage only (gone with the tab).
const KEY = 'affinity.apiKey';

export function savedKey() {
  return sessionStorage.getItem(KEY) ?? '';
}

export function saveKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export async function gql(query, variables = {}) {
  const key = savedKey();
  if (!key) throw new ApiError('Enter an API key with the analyst role first.', 'UNAUTHENTICATED');
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length > 0) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code);
  }
  return body.data;
}

const NODE = 'id domainId label title properties';

export const NEIGHBORHOOD = `query Neighborhood($nodeId: ID!, $depth: Int, $limit: Int) {
  neighborhood(nodeId: $nodeId, depth: $depth, limit: $limit) {
    center { ${NODE} } nodes { ${NODE} } edges { source target type weight count } truncated
  }
}`;

export const SCATTER = `query Scatter($limit: Int) {
  segmentScatter(limit: $limit) { modelVersion explainedVariance points { userId x y segmentId segmentLabel } }
}`;

export const EXPERIMENTS = `query Experiments { experiments { id name status } }`;

const RATE = 'estimate low high';

export const EXPERIMENT_REPORT = `query ExperimentReport($id: ID!) {
  experimentReport(id: $id) {
    experiment { id name status } until
    variants { name users conversions conversionRate { ${RATE} } versusControl { conversionLift { ${RATE} pValue } } }
    sampleRatio { chiSquare pValue mismatch }
    series { variant points { at users conversions conversionRate { ${RATE} } } }
  }
}`;
