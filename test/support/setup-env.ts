// Every test process runs in UTC, like the service (main.ts).
process.env.TZ = 'UTC';
