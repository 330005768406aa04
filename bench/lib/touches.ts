import { Random } from './random';

/**
 * Touches for the generated leads (bench/seed.ts): the attribution rules every tenant gets, an origin
 * touch that fits a lead's source, and the later visits that bring a lead back. Everything is drawn from
 * the caller's random stream, so the data is reproducible from --seed.
 */

/** What a touch looks like before it is given an instant. */
interface Visit {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_content?: string;
  utm_term?: string;
  gclid?: string;
  fbclid?: string;
  msclkid?: string;
  referrer?: string;
  landing_page?: string;
}

type Kind = (rnd: Random) => Visit;

const SITE = 'https://www.example-erp.com';
const PAGES = ['/', '/pricing', '/demo', '/features/analytics', '/features/crm', '/blog/sales-pipeline', '/contact'];
const TERMS = ['crm software', 'sales pipeline', 'lead tracking', 'erp for sales', 'marketing attribution'];
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];

const clickId = (rnd: Random, length: number) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rnd.int(0, alphabet.length - 1)];
  return s;
};

/** The landing page, tagged with the visit's UTM parameters as an ad platform would. */
const landing = (rnd: Random, v: Visit): Visit => {
  const params = (['utm_source', 'utm_medium', 'utm_campaign'] as const).filter((k) => v[k] !== undefined).map((k) => `${k}=${encodeURIComponent(v[k]!)}`);
  return { ...v, landing_page: `${SITE}${rnd.pick(PAGES)}${params.length > 0 ? `?${params.join('&')}` : ''}` };
};

const KINDS = {
  googleCpc: (rnd) =>
    landing(rnd, {
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: rnd.pick(['brand', 'generic-crm', 'competitor', 'retargeting']),
      utm_term: rnd.pick(TERMS),
      ...(rnd.chance(0.8) ? { gclid: clickId(rnd, 32) } : {}),
      referrer: 'https://www.google.com/',
    }),
  googleOrganic: (rnd) => landing(rnd, { utm_source: 'google', utm_medium: 'organic', referrer: 'https://www.google.com/' }),
  newsletter: (rnd) =>
    landing(rnd, {
      utm_source: `newsletter-${rnd.pick(MONTHS)}`,
      utm_medium: 'email',
      utm_campaign: rnd.pick(['product-update', 'webinar-invite', 'case-study']),
      utm_content: rnd.pick(['header-link', 'cta-button', 'footer']),
    }),
  facebook: (rnd) =>
    landing(rnd, {
      utm_source: rnd.chance(0.8) ? 'facebook' : 'Facebook',
      utm_medium: 'paid_social',
      utm_campaign: rnd.pick(['spring-sale', 'lookalike', 'retargeting']),
      ...(rnd.chance(0.7) ? { fbclid: clickId(rnd, 40) } : {}),
      referrer: 'https://m.facebook.com/',
    }),
  instagram: (rnd) =>
    landing(rnd, {
      utm_source: 'instagram',
      utm_medium: 'paid_social',
      ...(rnd.chance(0.6) ? { fbclid: clickId(rnd, 40) } : {}),
      referrer: 'https://l.instagram.com/',
    }),
  linkedin: (rnd) =>
    landing(rnd, {
      utm_source: 'linkedin',
      utm_medium: rnd.pick(['paid_social', 'social']),
      utm_campaign: 'b2b-leaders',
      referrer: 'https://www.linkedin.com/',
    }),
  partner: (rnd) => landing(rnd, { utm_source: rnd.pick(['acme-resellers', 'northwind', 'contoso']), utm_medium: 'partner' }),
  webinar: (rnd) => landing(rnd, { utm_source: 'site', utm_medium: 'event', utm_campaign: `webinar-${rnd.pick(MONTHS)}` }),
  // No rule matches these: their credit goes to UNMAPPED.
  bing: (rnd) =>
    landing(rnd, {
      utm_source: 'bing',
      utm_medium: 'cpc',
      utm_term: rnd.pick(TERMS),
      ...(rnd.chance(0.8) ? { msclkid: clickId(rnd, 32) } : {}),
      referrer: 'https://www.bing.com/',
    }),
  social: (rnd) => {
    const network = rnd.pick(['twitter', 'tiktok', 'reddit']);
    return landing(rnd, { utm_source: network, utm_medium: 'social', referrer: `https://www.${network}.com/` });
  },
  referral: (rnd) => ({
    referrer: `https://${rnd.pick(['blog.partner-site.org', 'news.example.net', 'forum.example.org'])}/post/${rnd.int(1, 9999)}`,
    landing_page: `${SITE}${rnd.pick(PAGES)}`,
  }),
  direct: (rnd) => ({ landing_page: `${SITE}${rnd.pick(PAGES)}` }),
} satisfies Record<string, Kind>;

type KindName = keyof typeof KINDS;

/**
 * The rules every tenant gets (the bodies of POST /attribution-rules), in priority order. The
 * Facebook rule names a campaign of the tenant (its first) and the campaign channel FACEBOOK.
 */
export const RULES = (campaign: string | undefined): Record<string, unknown>[] => [
  {
    name: 'Google Ads',
    priority: 10,
    utm_source: { value: 'google', match: 'exact' },
    utm_medium: { value: 'cpc', match: 'exact' },
    source_code: 'WEBSITE',
    channel_code: 'PAID',
  },
  { name: 'Google search', priority: 20, utm_source: { value: 'google', match: 'exact' }, source_code: 'WEBSITE', channel_code: 'ORGANIC' },
  { name: 'Newsletters', priority: 30, utm_source: { value: 'newsletter', match: 'prefix' }, source_code: 'EMAIL' },
  {
    name: 'Facebook ads',
    priority: 40,
    utm_source: { value: 'facebook', match: 'exact' },
    source_code: 'SOCIAL',
    sub_source_code: 'FACEBOOK',
    channel_code: 'PAID',
    ...(campaign ? { campaign_code: campaign } : {}),
    campaign_channel_code: 'FACEBOOK',
  },
  { name: 'Instagram', priority: 50, utm_source: { value: 'instagram', match: 'exact' }, source_code: 'SOCIAL', sub_source_code: 'FACEBOOK' },
  { name: 'LinkedIn', priority: 60, utm_source: { value: 'linkedin', match: 'exact' }, source_code: 'SOCIAL', sub_source_code: 'LINKEDIN' },
  {
    name: 'Partners',
    priority: 70,
    utm_medium: { value: 'partner', match: 'exact' },
    source_code: 'PARTNER',
    sub_source_code: 'RESELLER',
    channel_code: 'REFERRAL',
  },
  { name: 'Webinars', priority: 80, utm_campaign: { value: 'webinar-', match: 'prefix' }, source_code: 'WEBINAR', sub_source_code: 'PRODUCT_DEMO' },
];

/** The visits that bring a lead of a source (and subsource), with weights; the rules above map the first of each. */
const ORIGINS: Record<string, [KindName, number][]> = {
  WEBSITE: [
    ['googleCpc', 3],
    ['googleOrganic', 2],
  ],
  'SOCIAL/FACEBOOK': [
    ['facebook', 3],
    ['instagram', 1],
  ],
  EMAIL: [['newsletter', 1]],
  'SOCIAL/LINKEDIN': [['linkedin', 1]],
  SOCIAL: [['social', 1]],
  REFERRAL: [['referral', 1]],
  'PARTNER/RESELLER': [['partner', 1]],
  'WEBINAR/PRODUCT_DEMO': [['webinar', 1]],
};

/** The visits that bring a lead back, whatever its source (weights). */
const LATER: [KindName, number][] = [
  ['googleCpc', 20],
  ['googleOrganic', 15],
  ['newsletter', 18],
  ['facebook', 10],
  ['instagram', 4],
  ['linkedin', 6],
  ['partner', 3],
  ['webinar', 5],
  ['bing', 6],
  ['social', 5],
  ['referral', 4],
  ['direct', 4],
];

const draw = (rnd: Random, table: [KindName, number][]): Visit => KINDS[table[rnd.weighted(table.map(([, w]) => w))][0]](rnd);

/** Whether the rules map the visits that bring a lead of this place to the same place (the lead may then name no codes). */
export const touchlessPlace = (place: { source: string; sub?: string }): boolean =>
  ['WEBSITE', 'EMAIL', 'SOCIAL/LINKEDIN', 'PARTNER/RESELLER', 'WEBINAR/PRODUCT_DEMO'].includes(place.sub ? `${place.source}/${place.sub}` : place.source);

/** The visit that brought a lead of this place, up to 10 minutes before its creation. */
export const originTouch = (rnd: Random, place: { source: string; sub?: string }, createdAt: number): Record<string, unknown> => {
  const table = ORIGINS[place.sub ? `${place.source}/${place.sub}` : place.source] ?? [
    ['referral', 1],
    ['direct', 1],
  ];
  return { ...draw(rnd, table), occurred_at: new Date(createdAt - rnd.int(0, 600) * 1000).toISOString() };
};

/**
 * A lead's later visits: a binomial count with mean `mean` (0..2·mean; with mean 2, 0 to 4), each at
 * an instant between its creation and 30 days later, and never after `now`.
 */
export const laterTouches = (rnd: Random, mean: number, createdAt: number, now: number): Record<string, unknown>[] => {
  let count = 0;
  for (let i = 0; i < 2 * mean; i++) if (rnd.chance(0.5)) count++;
  return Array.from({ length: count }, () => {
    const at = Math.max(createdAt, Math.min(createdAt + rnd.int(0, 30 * 86_400) * 1000, now));
    return { ...draw(rnd, LATER), occurred_at: new Date(at).toISOString() };
  });
};
