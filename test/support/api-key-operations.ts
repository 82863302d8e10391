/** The key lifecycle as the generated typed client sends it (src/client/operations/api-keys.graphql). */
export {
  ApiKeyEventsDocument as EVENTS,
  CreateApiKeyDocument as CREATE,
  CycleApiKeyDocument as CYCLE,
  DeleteApiKeyDocument as DELETE,
  ReactivateApiKeyDocument as REACTIVATE,
  RevokeApiKeyDocument as REVOKE,
  UpdateApiKeyDocument as UPDATE,
  ViewerDocument as VIEWER,
} from '../../src/client/generated/graphql.ts';
