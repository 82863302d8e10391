/** A global id argument or input field as the relay plugin hands it to a resolver (`t.arg.globalID`, `t.globalID`). */
export interface DecodedGlobalId {
  id: unknown;
}

/** The row id a decoded global id names; null and undefined (cleared, omitted) pass through. */
export function rowId<Ref extends DecodedGlobalId | null | undefined>(
  ref: Ref,
): Ref extends DecodedGlobalId ? string : Ref {
  return (ref == null ? ref : String(ref.id)) as Ref extends DecodedGlobalId ? string : Ref;
}

/** The row ids of a global id list; null and undefined (cleared, omitted) pass through. */
export function rowIds<Refs extends readonly DecodedGlobalId[] | null | undefined>(
  refs: Refs,
): Refs extends readonly DecodedGlobalId[] ? string[] : Refs {
  return (refs == null ? refs : refs.map(rowId)) as Refs extends readonly DecodedGlobalId[] ? string[] : Refs;
}
