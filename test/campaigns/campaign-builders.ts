/**
 * The names the campaign specs use for the shared builders and checks (test/support): `expectStatus` is
 * `ok`, `fields` is `distinctFields`.
 */
export { aCampaign, bulkMetrics, createCampaign, putMetric } from '../support/builders';
export { distinctFields as fields } from '../support/problems';
export { ok as expectStatus } from '../support/responses';
