/** Page sizes of every connection: `first`/`last` default and maximum (more is an error, never a silent clamp). */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
