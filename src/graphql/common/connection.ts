import { ClassType, Extensions, Field, ObjectType } from 'type-graphql';
import { encodeCursor, Page } from '../../domain/pagination';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** Description of the lists' `newestFirst` argument. */
export const NEWEST_FIRST = 'Newest first instead; `after` then pages toward older ones.';

/** Builds a Relay connection type `<Name>Connection` with `<Name>Edge` for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }
  @ObjectType(`${name}Connection`)
  class Conn {
    // The page's own size is the connection field's `first` (see graphql/limits).
    @Field(() => [Edge]) @Extensions({ listSize: 1 }) edges: Edge[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }
  return Conn;
}

/** Maps a domain page of id-keyed rows to a Relay connection. */
export function toConnection<T extends { id: string }>(page: Page<T>): Connection<T> {
  const edges = page.nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
