/** Descriptions of `externalId`, the same on every type that has one (projects, contractors, workers, people, goals). */
export const EXTERNAL_ID = {
  field:
    'The id of this record in another system (an HR or planning system), set by the integration that copies it here: 1–255 characters, unique within the organisation among records of this type. Null when none.',
  create: 'The id in another system: 1–255 characters (trimmed), unique within the organisation for this type.',
  update: 'Omit to keep, null to clear; 1–255 characters (trimmed), unique within the organisation for this type.',
  upsert:
    'The id in another system that names the record: an existing one with this externalId is updated, else one is created. 1–255 characters (trimmed).',
  lookup: 'The id in another system (trimmed).',
  created:
    'True when this upsert created the record; false when it updated an existing one, found nothing to change, or answered userErrors.',
} as const;
