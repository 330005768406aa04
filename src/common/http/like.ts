/**
 * A LIKE pattern that matches `text` literally anywhere: `%`, `_` and the escape character itself are
 * escaped with `!`. Use with `LIKE :pattern ESCAPE '!'` (the same on MySQL and SQLite).
 */
export const containsPattern = (text: string) => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
