import { type GraphQLArgument, GraphQLEnumType, isEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema.ts';

/** GraphiQL's Docs panel shows these descriptions; an enum value without one leaves the reader guessing. */
describe('enum values of the schema', () => {
  const enums = Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLEnumType => isEnumType(type) && !type.name.startsWith('__'),
  );

  it('finds the schema’s own enums (so the check below cannot pass on an empty list)', () => {
    expect(enums.map((type) => type.name)).toEqual(expect.arrayContaining(['ApiKeyStatus', 'ApprovalStatus']));
  });

  it('each have a description', () => {
    const undescribed = enums.flatMap((type) =>
      type
        .getValues()
        .filter((value) => !value.description?.trim())
        .map((value) => `${type.name}.${value.name}`),
    );
    expect(undescribed).toEqual([]);
  });

  it('are described in Crewgraph’s own words, not a source product’s', () => {
    const vendorWords = /\b(KPA|Flex|Betterworks|GoContractor)\b/i;
    const texts = Object.values(schema.getTypeMap())
      .filter((type) => !type.name.startsWith('__'))
      .flatMap((type) => {
        const own = [`${type.name}: ${type.description ?? ''}`];
        if (isEnumType(type))
          return [...own, ...type.getValues().map((v) => `${type.name}.${v.name}: ${v.description ?? ''}`)];
        if (!('getFields' in type)) return own;
        return [
          ...own,
          ...Object.values(type.getFields()).flatMap((field) => [
            `${type.name}.${field.name}: ${field.description ?? ''}`,
            ...('args' in field
              ? field.args.map(
                  (arg: GraphQLArgument) => `${type.name}.${field.name}(${arg.name}): ${arg.description ?? ''}`,
                )
              : []),
          ]),
        ];
      });
    expect(texts.filter((text) => vendorWords.test(text))).toEqual([]);
  });
});
