import { Kind, parse, type FieldNode, type SelectionSetNode } from 'graphql';

/** The code of every error caused by a subgraph that did not answer. */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

interface ErrorWithPath {
  message: string;
  path: (string | number)[];
  extensions: Record<string, unknown>;
}

const fieldsCache = new Map<string, { entities: boolean; fields: string[] }>();

function responseNames(selectionSet: SelectionSetNode): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value !== '__typename') names.push((selection.alias ?? selection.name).value);
    if (selection.kind === Kind.INLINE_FRAGMENT) names.push(...responseNames(selection.selectionSet));
  }
  return [...new Set(names)];
}

/** The fields a subgraph operation asks for: of each entity for `_entities`, else the root fields. */
function requestedFields(query: string): { entities: boolean; fields: string[] } {
  let found = fieldsCache.get(query);
  if (!found) {
    const operation = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const root = operation && 'selectionSet' in operation ? operation.selectionSet : undefined;
    const entities = root?.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === '_entities');
    found = entities?.selectionSet
      ? { entities: true, fields: responseNames(entities.selectionSet) }
      : { entities: false, fields: root ? responseNames(root) : [] };
    if (fieldsCache.size > 1_000) fieldsCache.clear();
    fieldsCache.set(query, found);
  }
  return found;
}

/**
 * The response of a subgraph that did not answer: no data, and one error per field it owed,
 * with the path the gateway maps onto the client's response (`_entities.3.cost` becomes
 * `features.edges.3.node.cost`), so a client learns exactly which fields are missing and why.
 */
export function unavailableResponse(subgraph: string, reason: string, query: string, representations: unknown): { data: Record<string, unknown> | null; errors: ErrorWithPath[] } {
  const { entities, fields } = requestedFields(query);
  const message = `The ${subgraph} subgraph is unavailable (${reason}); its fields are null in this response.`;
  const extensions = { code: SUBGRAPH_UNAVAILABLE, subgraph };
  if (entities && Array.isArray(representations)) {
    return {
      data: { _entities: representations.map(() => null) },
      errors: representations.flatMap((_, i) => fields.map((field) => ({ message, path: ['_entities', i, field], extensions }))),
    };
  }
  return { data: null, errors: fields.map((field) => ({ message, path: [field], extensions })) };
}
