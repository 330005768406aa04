/**
 * The value of one series in a Prometheus text exposition (`GET /metrics`): `series` is the name with its
 * labels as the line writes them (`webhook_attempts_total{outcome="delivered"}`). Throws when the
 * series is not there, so a renamed metric fails the test that reads it.
 */
export function metricValue(exposition: string, series: string): number {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no ${series} in /metrics`);
  return Number(line.slice(series.length + 1));
}
