import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The fields a connection's resolver is asked for under `edges { node { ... } }`, by name; null when a fragment
 * hides part of the selection, so the caller reads every column.
 */
export function nodeFieldNames(info: GraphQLResolveInfo): Set<string> | null {
  const names = new Set<string>();
  const fieldsOf = (set: SelectionSetNode | undefined, path: string[]): boolean => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind !== Kind.FIELD) return false;
      if (!path.length) names.add(selection.name.value);
      else if (selection.name.value === path[0] && !fieldsOf(selection.selectionSet, path.slice(1))) return false;
    }
    return true;
  };
  return info.fieldNodes.every((node) => fieldsOf(node.selectionSet, ['edges', 'node'])) ? names : null;
}
