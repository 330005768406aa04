import Fastify from 'fastify';
import { jwtVerify } from 'jose';
import { loadConfig } from '../src/config/app-config';
import { openRawDb } from './lib/db';

/**
 * The floor for framework overhead: bare Fastify, the same JWT check, the same SQL and the same JSON
 * as the service's GET /lead-sources (a page of 50) and GET /lead-sources/{code} — no Nest, no ORM.
 * Started by `npm run bench`; not part of the service.
 */
const config = loadConfig();
const db = openRawDb(config.database, 10);
const key = new TextEncoder().encode(config.jwt.kind === 'secret' ? config.jwt.secret : '');
const COLUMNS =
  'id, created_at, updated_at, created_by, updated_by, version, deleted_at, source_code, source_name, source_type, description, icon, color_hex, display_order, is_active, is_default, metadata, leads_generated, conversion_count';

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(`${String(v).replace(' ', 'T')}Z`).toISOString());
const toSource = (r: Record<string, unknown>) => {
  const leads = Number(r.leads_generated);
  const conversions = Number(r.conversion_count);
  return {
    id: r.id,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    created_by: r.created_by,
    updated_by: r.updated_by,
    version: r.version,
    source_code: r.source_code,
    source_name: r.source_name,
    source_type: r.source_type,
    description: r.description,
    icon: r.icon,
    color_hex: r.color_hex,
    display_order: r.display_order,
    is_active: Boolean(r.is_active),
    is_default: Boolean(r.is_default),
    metadata: JSON.parse(String(r.metadata)),
    leads_generated: leads,
    conversion_count: conversions,
    conversion_rate: leads === 0 ? null : Math.round((conversions / leads) * 10000) / 100,
  };
};

async function tenantOf(authorization: string | undefined): Promise<string | null> {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    return typeof payload.tenant_id === 'string' ? payload.tenant_id : null;
  } catch {
    return null;
  }
}

const app = Fastify();
app.get('/lead-sources', async (req, reply) => {
  const tenant = await tenantOf(req.headers.authorization);
  if (!tenant) return reply.code(401).send({ code: 'UNAUTHENTICATED' });
  const where = 'tenant_id = ? AND deleted_at IS NULL AND is_active = 1';
  const rows = await db.query(`SELECT ${COLUMNS} FROM tenant_lead_sources WHERE ${where} ORDER BY display_order, source_name, id LIMIT 50 OFFSET 0`, [tenant]);
  // The same statements as the service: it counts only when the page does not tell the total (a full
  // page; at offset 0 an empty page means 0), so a tenant's ~10 sources take one query, not two.
  const total =
    rows.length < 50
      ? rows.length
      : Number((await db.query<{ total: number }>(`SELECT COUNT(*) AS total FROM tenant_lead_sources WHERE ${where}`, [tenant]))[0].total);
  return { data: rows.map(toSource), total, limit: 50, offset: 0 };
});
app.get('/lead-sources/:code', async (req, reply) => {
  const tenant = await tenantOf(req.headers.authorization);
  if (!tenant) return reply.code(401).send({ code: 'UNAUTHENTICATED' });
  const [row] = await db.query(`SELECT ${COLUMNS} FROM tenant_lead_sources WHERE tenant_id = ? AND deleted_at IS NULL AND source_code = ?`, [
    tenant,
    (req.params as { code: string }).code,
  ]);
  if (!row) return reply.code(404).send({ code: 'NOT_FOUND' });
  return reply.header('etag', `"${String(row.version)}"`).send(toSource(row));
});

void app.listen({ port: Number(process.env.PORT ?? 3901), host: '127.0.0.1' }).then(() => process.stdout.write('ready\n'));
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => db.close())
      .then(() => process.exit(0)),
);
