/** Page sizes of every connection: `first`/`last` default and maximum (more is an error, never a silent clamp). */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** `nodes(ids:)` takes at most this many ids (more is an error, like `first` above MAX_PAGE_SIZE). */
export const MAX_NODE_IDS = 100;
