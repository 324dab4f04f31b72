import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { PageInfo, type Page } from './pagination.js';

/**
 * A Relay connection type for `node`: `${name}Connection` with `${name}Edge`s.
 * Resolvers return a `Page` from keysetPage / keysetPagesByParent as is.
 */
export function Connection<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String, { description: 'Pass as `after` to read the rows behind this one.' }) cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Rows matching the filter over all pages (ignores `first` and `after`).' })
    totalCount(): Promise<number> {
      return (this as unknown as Page<T>).totalCount();
    }
  }

  return ConnectionType as unknown as ClassType<Page<T>>;
}

export function emptyPage<T>(): Page<T> {
  return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount: async () => 0 };
}
