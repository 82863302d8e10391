import { requireVisible } from '../../auth/visible.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck } from '../../core/user-errors.ts';

export const MAX_HASHTAGS = 20;
export const MAX_RECEIVERS = 100;
const MAX_HASHTAG_LENGTH = 50;
const HASHTAG = /^[\p{L}\p{N}_-]+$/u;

export interface CreateRecognitionInput {
  projectId: string;
  giverId: string;
  receiverIds: string[];
  message: string;
  hashtags?: string[] | null;
}

/** "#Safety", "safety" and " SAFETY " are one hashtag: `safety`. */
export function normalizeHashtags(check: InputCheck, hashtags: string[]): string[] {
  if (hashtags.length > MAX_HASHTAGS) check.add(['input', 'hashtags'], 'TOO_LONG', `At most ${MAX_HASHTAGS} hashtags.`);
  const normalized = hashtags.map((raw, i) => {
    const field = ['input', 'hashtags', String(i)];
    const tag = check.text(field, raw.trim().replace(/^#/, ''), { max: MAX_HASHTAG_LENGTH }).toLowerCase();
    if (tag && tag.length <= MAX_HASHTAG_LENGTH && !HASHTAG.test(tag)) {
      check.add(field, 'INVALID', 'A hashtag may contain only letters, digits, "_" and "-".');
    }
    return tag;
  });
  return [...new Set(normalized)];
}

export async function createRecognition(ctx: RequestScope, input: CreateRecognitionInput) {
  const check = new InputCheck();
  const message = check.text(['input', 'message'], input.message, { max: 2000 });
  const receiverIds = [...new Set(input.receiverIds)];
  if (receiverIds.length === 0) {
    check.add(['input', 'receiverIds'], 'BLANK', 'Recognition needs at least one receiver.');
  } else if (receiverIds.length > MAX_RECEIVERS) {
    check.add(['input', 'receiverIds'], 'TOO_LONG', `At most ${MAX_RECEIVERS} receivers.`);
  }
  if (receiverIds.includes(input.giverId)) {
    check.add(['input', 'receiverIds'], 'INVALID', 'The giver cannot also be a receiver.');
  }
  const hashtags = normalizeHashtags(check, input.hashtags ?? []);
  check.throwIfAny();
  await requireVisible(ctx, 'project', [input.projectId], ['input', 'projectId']);
  await requireVisible(ctx, 'person', [input.giverId], ['input', 'giverId']);
  await requireVisible(ctx, 'person', receiverIds, ['input', 'receiverIds']);
  const recognition = await ctx.prisma.recognition.create({
    data: {
      organizationId: ctx.principal.organizationId,
      projectId: input.projectId,
      giverId: input.giverId,
      message,
      hashtags,
      receivers: { connect: receiverIds.map((id) => ({ id })) },
    },
  });
  return { recognition };
}
