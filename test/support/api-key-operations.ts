/** The key lifecycle as the generated typed client sends it (test/client/operations/api-keys.graphql). */
export {
  ApiKeyEventsDocument as EVENTS,
  CreateApiKeyDocument as CREATE,
  CycleApiKeyDocument as CYCLE,
  DeleteApiKeyDocument as DELETE,
  ReactivateApiKeyDocument as REACTIVATE,
  RevokeApiKeyDocument as REVOKE,
  UpdateApiKeyDocument as UPDATE,
  ViewerDocument as VIEWER,
} from '../client/generated/graphql.ts';
