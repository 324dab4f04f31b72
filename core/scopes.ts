import { defaultFieldResolver, GraphQLError, isObjectType, Kind, parse, type DirectiveNode, type GraphQLSchema } from 'graphql';
import { Directive } from 'type-graphql';
import { ErrorCode } from './errors.js';

/**
 * Field-level scopes, as Federation's `@requiresScopes(scopes: [[...]])`: the outer list is a
 * choice, each inner list must be held entirely. Declared in the subgraphs, kept in the
 * supergraph, enforced by the gateway before planning and again by the subgraph on each field.
 */
export type ScopeRule = string[][];

/** `@RequiresScopes('financial_data.read')` on a field: the caller needs every scope listed. */
export function RequiresScopes(...scopes: string[]): MethodDecorator & PropertyDecorator {
  return Directive(`@requiresScopes(scopes: [[${scopes.map((s) => JSON.stringify(s)).join(', ')}]])`) as MethodDecorator & PropertyDecorator;
}

export function satisfies(rule: ScopeRule, held: ReadonlySet<string>): boolean {
  return rule.some((all) => all.every((scope) => held.has(scope)));
}

export function describeRule(rule: ScopeRule): string {
  return rule.map((all) => all.map((s) => `"${s}"`).join(' and ')).join(' or ');
}

function ruleOf(directives: readonly DirectiveNode[] | undefined): ScopeRule | null {
  const directive = directives?.find((d) => d.name.value === 'requiresScopes');
  const argument = directive?.arguments?.find((a) => a.name.value === 'scopes')?.value;
  if (!argument || argument.kind !== Kind.LIST) return null;
  return argument.values.map((inner) => (inner.kind === Kind.LIST ? inner.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : []));
}

/** 'Type.field' -> rule, from SDL (a subgraph's or the supergraph's). */
export function scopeRules(sdl: string): Map<string, ScopeRule> {
  const rules = new Map<string, ScopeRule>();
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const rule = ruleOf(field.directives);
      if (rule) rules.set(`${definition.name.value}.${field.name.value}`, rule);
    }
  }
  return rules;
}

export function forbiddenFields(fields: { coordinate: string; rule: ScopeRule }[]): GraphQLError {
  const list = fields.map((f) => `${f.coordinate} (needs ${describeRule(f.rule)})`).join(', ');
  return new GraphQLError(`Your token's scopes do not allow ${list}: ask for a token with those scopes.`, {
    extensions: { code: ErrorCode.Forbidden, fields: fields.map((f) => f.coordinate) },
  });
}

/** The subgraph's own wall: every field with a rule checks the caller's scopes before resolving. */
export function enforceScopes(schema: GraphQLSchema, scopesOf: (context: unknown) => ReadonlySet<string>): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const rule = ruleOf(field.astNode?.directives);
      if (!rule) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const coordinate = `${type.name}.${field.name}`;
      field.resolve = (source, args, context, info) => {
        if (!satisfies(rule, scopesOf(context))) throw forbiddenFields([{ coordinate, rule }]);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
