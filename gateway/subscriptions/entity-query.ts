import { Kind, print, type DocumentNode, type FieldNode, type OperationDefinitionNode, type ValueNode } from 'graphql';

/** The subscriber's selection, turned into a query for one entity by id. */
export interface EntityQuery {
  /** The name the subscriber gave the field (its alias, else the field name). */
  responseKey: string;
  field: string;
  /** The entity's query field (`feature`), its selection set and the document's fragments, as printed. */
  queryField: string;
  selection: string;
  fragments: string;
  /** Definitions of the subscriber's variables the selection uses. */
  variableDefinitions: string[];
  query: string;
  /** The subscriber's variables the query uses. */
  variableNames: string[];
  /** `after`, as a literal or from a variable. */
  after: string | null;
  /** The id the subscription keeps events of (its entity filter argument), or null for all. */
  only: string | null;
}

const ID_VARIABLE = '__entityId';

function argument(field: FieldNode, name: string, variables: Record<string, unknown>): string | null {
  const value: ValueNode | undefined = field.arguments?.find((a) => a.name.value === name)?.value;
  if (!value) return null;
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return given === null || given === undefined ? null : String(given);
  }
  return value.kind === Kind.STRING || value.kind === Kind.INT ? value.value : null;
}

/**
 * `subscription { featureReleased(after: "41") { name adoption { activeUsers } } }` becomes
 * `query ($__entityId: ID!) { feature(id: $__entityId) { name adoption { activeUsers } } }`,
 * with the document's fragments and the variable definitions its selection uses.
 */
export function entityQuery(document: DocumentNode, operation: OperationDefinitionNode, queryField: string, variables: Record<string, unknown>, entityFilter?: string): EntityQuery {
  const field = operation.selectionSet.selections[0] as FieldNode;
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => print(d)).join('\n');
  const selection = field.selectionSet ? print(field.selectionSet) : '';
  const used = (operation.variableDefinitions ?? []).filter((v) => new RegExp(`\\$${v.variable.name.value}\\b`).test(`${selection}\n${fragments}`));
  const variableDefinitions = used.map((v) => print(v));
  const parts = { selection, fragments, variableDefinitions };
  return {
    responseKey: field.alias?.value ?? field.name.value,
    field: field.name.value,
    queryField, ...parts,
    query: operationText(parts, 'SubscriptionEvent', [`$${ID_VARIABLE}: ID!`], `${queryField}(id: $${ID_VARIABLE}) ${selection}`),
    variableNames: used.map((v) => v.variable.name.value),
    after: argument(field, 'after', variables),
    only: entityFilter ? argument(field, entityFilter, variables) : null,
  };
}

/** An operation over the subscriber's selection: its own variables first, then the subscriber's the selection uses; its fragments after. */
function operationText(query: Pick<EntityQuery, 'fragments' | 'variableDefinitions'>, name: string, ownVariables: string[], body: string): string {
  return `query ${name}(${[...ownVariables, ...query.variableDefinitions].join(', ')}) { ${body} }\n${query.fragments}`;
}

/** The subscriber's variables the entity query uses (all of its variables but the entity's id). */
export function usedVariables(query: EntityQuery, variables: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(query.variableNames.map((n) => [n, variables[n]]));
}

export function entityVariables(query: EntityQuery, variables: Record<string, unknown>, entityId: string): Record<string, unknown> {
  return { ...usedVariables(query, variables), [ID_VARIABLE]: entityId };
}

/** The alias of the `index`th entity of a batched query. */
export const batchAlias = (index: number) => `event${index}`;

/**
 * The same selection for `count` entities in one operation: each under its own alias (batchAlias),
 * its id in `$__entityId<index>`, so the gateway fetches them together from every subgraph.
 */
export function batchedEntityQuery(query: EntityQuery, count: number): string {
  const ids = Array.from({ length: count }, (_, i) => `$${ID_VARIABLE}${i}: ID!`);
  const fields = Array.from({ length: count }, (_, i) => `${batchAlias(i)}: ${query.queryField}(id: $${ID_VARIABLE}${i}) ${query.selection}`);
  return operationText(query, 'SubscriptionEvents', ids, fields.join(' '));
}

export function batchedEntityVariables(query: EntityQuery, variables: Record<string, unknown>, entityIds: readonly string[]): Record<string, unknown> {
  return { ...usedVariables(query, variables), ...Object.fromEntries(entityIds.map((id, i) => [`${ID_VARIABLE}${i}`, id])) };
}

/** The response key of the connection a list query reads, and the alias of the id on each of its nodes. */
export const LIST_KEY = 'entities';
export const LIST_ENTITY_ID = '_eventEntityId';
const IDS_VARIABLE = '__entityIds';
const FIRST_VARIABLE = '__first';

/**
 * The same selection for several entities as one page of the entity's connection filtered by id:
 * `query ($__entityIds: [ID!]!, $__first: Int!) { entities: features(first: $__first, filter: { ids: $__entityIds })
 * { edges { node { _eventEntityId: id name … } } } }`. One text however many entities (one plan),
 * and the fields another subgraph owns are fetched for every node in one request (an alias of the
 * single field each would take a request each).
 */
export function listEntityQuery(query: EntityQuery, listField: string): string {
  const fields = query.selection ? query.selection.slice(query.selection.indexOf('{') + 1) : '}';
  return operationText(query, 'SubscriptionEventList', [`$${IDS_VARIABLE}: [ID!]!`, `$${FIRST_VARIABLE}: Int!`],
    `${LIST_KEY}: ${listField}(first: $${FIRST_VARIABLE}, filter: { ids: $${IDS_VARIABLE} }) { edges { node { ${LIST_ENTITY_ID}: id ${fields} } }`);
}

export function listEntityVariables(query: EntityQuery, variables: Record<string, unknown>, entityIds: readonly string[]): Record<string, unknown> {
  const ids = [...new Set(entityIds)];
  return { ...usedVariables(query, variables), [IDS_VARIABLE]: ids, [FIRST_VARIABLE]: ids.length };
}
